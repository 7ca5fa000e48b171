import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, it } from "node:test";
import { validateEnvironments } from "../../configuration/validation/validate";
import { accountBootstrapStackName } from "../../configuration/derived/pipeline-identities";
import { shippedWith } from "../support/environments";
import { synthesize, type StackJson } from "../support/synth";

// Which secrets a Terraform state file would hold, from the synthesized stacks of an environment
// that uses every option (SSO client secret and deploy key from Secrets Manager), against the
// table in docs/pipeline-security.md: a new secret in state fails until the page says why.

/**
 * Types whose state keeps a secret value, with the attribute: the random and Kubernetes providers'
 * results, and the AWS types the stacks use whose attributes hashicorp/aws 5.100.0's schema marks
 * sensitive (`terraform providers schema -json`). `configured: true` when the attribute is only
 * there if the configuration sets it; otherwise the provider fills it itself.
 */
const SECRET_STATE_TYPES: Readonly<Record<string, { readonly attribute: string; readonly configured?: boolean }>> = {
  random_password: { attribute: "result" },
  random_bytes: { attribute: "base64" },
  aws_secretsmanager_secret_version: { attribute: "secret_string" },
  kubernetes_secret_v1: { attribute: "data" },
  "data.aws_secretsmanager_secret_version": { attribute: "secret_string" },
  aws_codebuild_webhook: { attribute: "secret" },
  aws_db_instance: { attribute: "password", configured: true },
};

const certificateArn = "arn:aws:acm:eu-west-1:111111111111:certificate/00000000-0000-0000-0000-000000000000";
const [config] = validateEnvironments([
  shippedWith("dev", {
    airflow: {
      ui: { hostname: "airflow.fixture.example.com", certificateArn },
      auth: {
        sso: {
          provider: "oidc",
          issuerUrl: "https://idp.fixture.example.com/oauth2/default",
          clientId: "fixture-client",
          clientSecret: { secretsManagerArn: "arn:aws:secretsmanager:eu-west-1:111111111111:secret:fixture-sso-AbCdEf" },
          roleMapping: { admins: ["Admin"] },
        },
      },
      gitSync: { sshKeyFromSecretsManager: { secretArn: "arn:aws:secretsmanager:eu-west-1:111111111111:secret:fixture-dags-key-AbCdEf" } },
    },
  }),
]);

type Blocks = Record<string, Record<string, { readonly "//"?: { readonly metadata?: { readonly path?: string } } }>>;

/** `<layer> | <type> | <construct path below the stack>` for every block of a secret-holding type. */
function secretsIn(stack: StackJson, stackName: string, layer: string): string[] {
  const rows: string[] = [];
  for (const [kind, blocks] of [["", stack.resource], ["data.", stack.data ?? {}]] as const) {
    for (const [type, byName] of Object.entries(blocks as Blocks)) {
      const secret = SECRET_STATE_TYPES[`${kind}${type}`];
      if (secret === undefined) continue;
      for (const [name, block] of Object.entries(byName)) {
        if (secret.configured && !(secret.attribute in block)) continue;
        const path = block["//"]?.metadata?.path ?? name;
        rows.push(`${layer} | ${kind}${type} | ${path.slice(path.indexOf(`${stackName}/`) + stackName.length + 1)}`);
      }
    }
  }
  return rows;
}

/** The table between the markers in docs/pipeline-security.md: rows, and each row's reason. */
function documented(): Map<string, string> {
  const page = readFileSync(resolve(__dirname, "../../docs/pipeline-security.md"), "utf8");
  const table = page.slice(page.indexOf("<!-- secrets-in-state: begin -->"), page.indexOf("<!-- secrets-in-state: end -->"));
  const rows = table.split("\n").filter((line) => line.startsWith("| ") && !line.startsWith("| Stack") && !line.startsWith("|---"));
  return new Map(rows.map((line) => line.split("|").slice(1, -1).map((cell) => cell.trim())).map(([layer, type, path, why]) => [`${layer} | ${type} | ${path}`, why]));
}

describe("secrets that remain in Terraform state", () => {
  const synthesized = synthesize([config]);
  const stacks = [
    [`${config.name}-infrastructure`, "infrastructure"],
    [`${config.name}-platform`, "platform"],
    [`${config.name}-observability`, "observability"],
    [accountBootstrapStackName(config.account.id), "bootstrap"],
  ] as const;
  const found = stacks.flatMap(([name, layer]) => secretsIn(synthesized.stackJson(name), name, layer)).sort();

  it("are exactly those docs/pipeline-security.md lists, each with its reason", () => {
    const table = documented();
    assert.deepEqual(found, [...table.keys()].sort());
    for (const [row, why] of table) assert.ok(why.length >= 20, `${row}: a reason of at least 20 characters`);
  });

  it("are all in the platform stack, whose state the plan roles may not read, but for the runner webhook's secret", () => {
    assert.ok(found.length > 0);
    assert.deepEqual(found.filter((row) => !row.startsWith("platform |")), ["infrastructure | aws_codebuild_webhook | ci-runner/runner/webhook"]);
  });

  it("include the values copied from Secrets Manager only when the environment asks for them", () => {
    const plain = synthesize(validateEnvironments([shippedWith("dev", {})]));
    const rows = secretsIn(plain.stackJson(`${config.name}-platform`), `${config.name}-platform`, "platform");
    assert.deepEqual(rows.filter((r) => r.includes("data.aws_secretsmanager_secret_version")), []);
    assert.deepEqual(
      found.filter((r) => r.includes("data.aws_secretsmanager_secret_version")).map((r) => r.split(" | ")[2]),
      ["git-ssh-key/source", "sso-client-secret/source"],
      "the deploy key (read once for Airflow's and the task namespace) and the SSO client secret",
    );
  });
});

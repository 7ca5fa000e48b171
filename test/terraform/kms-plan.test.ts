import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { clusterRoleName } from "../../constructs/cluster/eks-cluster";
import { KEY_USE_ACTIONS } from "../../constructs/security/encryption-key";
import { cachedPlan } from "../support/plan-cache";
import { prod } from "../support/pipeline-fixture";
import { synthesize } from "../support/synth";
import { plannedResources, type TerraformPlan } from "../support/terraform";

// Every KMS key's policy as Terraform will send it (the offline plan): the account administers,
// and only the named services or principals encrypt and decrypt.

interface Statement {
  readonly Sid?: string;
  readonly Effect: string;
  readonly Principal?: Record<string, unknown>;
  readonly Action: string | string[];
  readonly Condition?: Record<string, Record<string, unknown>>;
}
const USE = /^kms:(Encrypt|Decrypt|ReEncrypt|GenerateDataKey|CreateGrant)/;

describe("KMS key policies on the offline plan", () => {
  let plan: TerraformPlan;
  before(() => {
    plan = cachedPlan(synthesize([prod]).stackDir(`${prod.name}-infrastructure`));
  });

  /** Who may use each key, by its description's kind: services through kms:ViaService, principals by ARN, service principals. */
  function usersByKey(): Map<string, string[]> {
    const found = new Map<string, string[]>();
    for (const key of plannedResources(plan, "aws_kms_key")) {
      const statements = (JSON.parse(String(key.values.policy)) as { Statement: Statement[] }).Statement;
      const users: string[] = [];
      for (const s of statements.filter((x) => x.Effect === "Allow")) {
        const uses = [s.Action].flat().filter((a) => USE.test(a));
        if (uses.length === 0) continue;
        const via = s.Condition?.StringEquals?.["kms:ViaService"];
        const principals = s.Condition?.ArnLike?.["aws:PrincipalArn"];
        const service = s.Principal?.Service;
        assert.ok(via !== undefined || principals !== undefined || service !== undefined, `${key.address} ${s.Sid}: ${uses.join(", ")} for anyone IAM allows`);
        if (via !== undefined) assert.equal(s.Condition?.StringEquals?.["kms:CallerAccount"], prod.account.id);
        users.push(...[via ?? []].flat().map((v) => `via ${String(v).split(".")[0]}`), ...[principals ?? []].flat().map(String), ...[service ?? []].flat().map((v) => `service ${String(v).split(".")[0]}`));
      }
      found.set(String(key.values.description).replace(/^[^:]+: /, ""), users.sort());
    }
    return found;
  }

  it("names who may use each key, and the account's own statement only administers", () => {
    const role = `arn:aws:iam::${prod.account.id}:role/${clusterRoleName(prod.clusterName)}`;
    assert.deepEqual(Object.fromEntries(usersByKey()), {
      "envelope encryption of Kubernetes Secrets": [role, "via eks"].sort(),
      "CloudWatch log groups": ["service logs"],
      "EFS file system for Airflow task logs": ["via elasticfilesystem"],
      "Airflow metadata database, its snapshots and master secret": ["via rds", "via secretsmanager"],
      "ECR repositories of Airflow's image and task images": ["via ecr"],
      "Airflow fernet key, API secret key and JWT secret in Secrets Manager": ["via secretsmanager"],
    });
    for (const key of plannedResources(plan, "aws_kms_key")) {
      const [admin] = (JSON.parse(String(key.values.policy)) as { Statement: Statement[] }).Statement;
      assert.equal(admin.Sid, "AccountAdministersThroughIam");
      // An action pattern (kms:Create*) grants what it matches: none may match a use.
      const grants = (pattern: string, action: string) => new RegExp(`^${pattern.replaceAll("*", ".*")}$`).test(action);
      const uses = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncryptFrom", "kms:ReEncryptTo", "kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext", "kms:CreateGrant"];
      assert.ok(KEY_USE_ACTIONS.includes("kms:CreateGrant"));
      assert.deepEqual([admin.Action].flat().filter((a) => uses.some((u) => grants(a, u))), [], key.address);
      assert.equal(admin.Condition, undefined);
    }
  });
});

import assert from "node:assert/strict";
import { copyFileSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { CURRENT_EPOCHS_OUTPUT, DEPLOYED_EPOCHS_OUTPUT, DEPLOYED_GENERATION_OUTPUT } from "../../constructs/database/deployed-generation";
import { PLATFORM_IDS, platformStackName } from "../../configuration/derived/construct-paths";
import type { EnvironmentConfig } from "../../configuration/schema/environment-config";
import { terraform } from "../../tools/plan/offline-plan";
import { shippedConfigWith } from "../support/environments";
import { synthesize, type StackJson } from "../support/synth";
import { tempDir } from "../support/temp";
import { assertOfflineTerraformAvailable, offlineCliConfig } from "../support/terraform";

// database.airflowPasswordGeneration is refused at plan time when it moves more than one away
// from the generation the platform stack's own state records. Real Terraform decides, on the
// check as the platform stack synthesizes it: its builtin resources, data sources and output are
// taken from the synthesized JSON of an environment per generation; the bootstrap Job and
// PgBouncer's Secrets the record waits for (Kubernetes resources, whose provider is not in the
// offline mirror) are stood in for by one terraform_data whose provisioner succeeds or fails like
// the Job. Each state the plans read is the one a real `terraform apply` of that config wrote.

const GENERATIONS = [2, 3, 4, 5, 6] as const;
type Generation = (typeof GENERATIONS)[number];
const stateDir = tempDir("generation-state");

function environmentAt(generation: Generation): EnvironmentConfig {
  // Every generation's environment keeps its state in one directory, under its own name.
  return shippedConfigWith("dev", {
    name: `gen${generation}`,
    example: `gen${generation}`,
    database: { airflowPasswordGeneration: generation },
    stateBackend: { kind: "local", directory: stateDir },
  } as Parameters<typeof shippedConfigWith>[1]);
}

/** An environment whose state is on S3, in another region than the environment's. */
const S3_BACKEND = { kind: "s3", bucket: "generation-test-state", region: "eu-central-1", kmsKeyId: "alias/generation-test-state", keyPrefix: "team/airflow" };
const s3Environment = shippedConfigWith("prod", { name: "gens3", example: "gens3", stateBackend: S3_BACKEND } as Parameters<typeof shippedConfigWith>[1]);

const started = Date.now();
after(() => console.log(`generation-plan: ${((Date.now() - started) / 1000).toFixed(1)} s (synthesis; 17 init, 4 apply, 12 plan, 1 validate)`));
const synthesized = synthesize([...GENERATIONS.map(environmentAt), s3Environment]);
const platform = (generation: Generation): StackJson => synthesized.stackJson(platformStackName(`gen${generation}`));
const statePath = (generation: Generation) => join(stateDir, `${platformStackName(`gen${generation}`)}.tfstate`);

type Block = Record<string, unknown>;
/** The check's blocks: cdktf names them by construct path, `deployed-generation_…`. */
const ofCheck = (blocks: Record<string, Block> | undefined) =>
  Object.fromEntries(Object.entries(blocks ?? {}).filter(([name]) => name.startsWith(`${PLATFORM_IDS.deployedGeneration}_`)));

const JOB = "bootstrap_job_and_pgbouncer_config";
const OUTPUTS = [DEPLOYED_GENERATION_OUTPUT, DEPLOYED_EPOCHS_OUTPUT, CURRENT_EPOCHS_OUTPUT];

/**
 * The check's builtin part of a synthesized platform stack, with stand-ins: for each login's
 * random_password a terraform_data of the same name replaced when the synthesized keepers change
 * (as random_password is), and for the Job and PgBouncer's Secrets one terraform_data whose
 * provisioner succeeds or fails, after the passwords. `withRecord: false` is a state an earlier
 * version of the project wrote: the logins and the Job, no check.
 */
function checkConfig(stack: StackJson, jobSucceeds: boolean, withRecord = true): Block {
  const blocks = ofCheck(stack.resource.terraform_data);
  const referenced = new Set<string>();
  const standIn = (address: string) =>
    address.replace(/^(\$\{)?random_password\.([^}]+)/, (_, open: string | undefined, name: string) => {
      referenced.add(name);
      return `${open ?? ""}terraform_data.${name}`;
    });
  for (const block of Object.values(blocks)) {
    const dependsOn = block.depends_on as string[] | undefined;
    if (dependsOn?.some((address) => address.startsWith("kubernetes_"))) block.depends_on = [`terraform_data.${JOB}`];
    else if (dependsOn) block.depends_on = dependsOn.map(standIn);
    const lifecycle = block.lifecycle as { replace_triggered_by?: string[] } | undefined;
    if (lifecycle?.replace_triggered_by) lifecycle.replace_triggered_by = lifecycle.replace_triggered_by.map(standIn);
  }
  assert.equal(referenced.size, 2, "the epochs follow both logins' random_password");
  const passwords = Object.fromEntries([...referenced].map((name) => [name, { triggers_replace: stack.resource.random_password[name].keepers }]));
  const job = {
    // Replaced, so run, on every apply, like the Job that is rebuilt with every password change.
    triggers_replace: "${timestamp()}",
    depends_on: Object.keys(passwords).map((name) => `terraform_data.${name}`),
    provisioner: [{ "local-exec": { command: jobSucceeds ? "true" : "echo 'the bootstrap Job refused' >&2; exit 1" } }],
  };
  const outputs = Object.fromEntries(OUTPUTS.map((name) => [name, stack.output?.[name]]));
  for (const [name, value] of Object.entries(outputs)) assert.ok(value, `the platform stack has no output ${name}`);
  return {
    terraform: { backend: stack.terraform.backend },
    resource: { terraform_data: { ...passwords, [JOB]: job, ...(withRecord ? blocks : {}) } },
    ...(withRecord ? { data: { terraform_remote_state: ofCheck(stack.data?.terraform_remote_state) }, output: outputs } : {}),
  };
}

/** A working directory for one config; Terraform never downloads (CLI config: the mirror only). */
function workdir(config: Block): string {
  const dir = tempDir("generation-plan");
  writeFileSync(join(dir, "main.tf.json"), JSON.stringify(config, null, 2));
  writeFileSync(join(dir, ".offline.tfrc"), offlineCliConfig());
  terraform(dir, ["init", "-input=false", "-no-color"]);
  return dir;
}

function run(dir: string, args: string[]): { readonly ok: boolean; readonly output: string } {
  try {
    return { ok: true, output: terraform(dir, args) };
  } catch (error) {
    return { ok: false, output: (error as Error).message };
  }
}

const plan = (generation: Generation) => run(workdir(checkConfig(platform(generation), true)), ["plan", "-input=false", "-no-color"]);
const apply = (generation: Generation, jobSucceeds: boolean, withRecord = true) =>
  run(workdir(checkConfig(platform(generation), jobSucceeds, withRecord)), ["apply", "-input=false", "-no-color", "-auto-approve"]);

/** The generation a state file records, as the next plan reads it. */
function recorded(generation: Generation): unknown {
  const state = JSON.parse(readFileSync(statePath(generation), "utf8")) as { outputs: Record<string, { value: unknown }> };
  return state.outputs[DEPLOYED_GENERATION_OUTPUT]?.value;
}

/** The state one generation's apply wrote, where another generation's environment reads its own. */
function deployedState(from: Generation, to: Generation): void {
  if (from !== to) copyFileSync(statePath(from), statePath(to));
}

const REFUSAL = (given: number, deployed: number, login: string, right: string) =>
  new RegExp(
    `database\\.airflowPasswordGeneration in environment gen${given}: ${given} was given, but generation ${deployed} is deployed[^]*PgBouncer logs in as ${login}[^]*Set database\\.airflowPasswordGeneration to ${right}`.replace(/ /g, "\\s+"),
  );

describe("database.airflowPasswordGeneration at plan time (real Terraform, the synthesized check)", () => {
  assertOfflineTerraformAvailable();

  it("records the generation only after the bootstrap Job and PgBouncer's Secrets", () => {
    const stack = platform(4);
    const [record] = Object.entries(ofCheck(stack.resource.terraform_data)).filter(([name]) => name.includes("_record_")).map(([, block]) => block);
    const dependsOn = record.depends_on as string[];
    const job = Object.keys(stack.resource.kubernetes_job_v1 ?? {}).filter((name) => name.startsWith(`${PLATFORM_IDS.databaseBootstrap}_`));
    const secrets = Object.keys(stack.resource.kubernetes_secret_v1 ?? {}).filter((name) => name.startsWith(`${PLATFORM_IDS.metadataConnection}_`));
    assert.equal(job.length, 1);
    assert.ok(secrets.length >= 2, `PgBouncer's Secrets: ${secrets.join(", ")}`);
    assert.deepEqual([...dependsOn].sort(), [...job.map((n) => `kubernetes_job_v1.${n}`), ...secrets.map((n) => `kubernetes_secret_v1.${n}`)].sort());
  });

  it("lets a first deploy through (no state yet) and records its generation", () => {
    rmSync(statePath(4), { force: true });
    const first = apply(4, true);
    assert.ok(first.ok, first.output);
    assert.equal(recorded(4), 4);
  });

  it("plans a rotation, a revert and a redeploy of the deployed generation", () => {
    for (const generation of [5, 3, 4] as const) {
      deployedState(4, generation);
      const result = plan(generation);
      assert.ok(result.ok, `4 → ${generation}: ${result.output}`);
    }
  });

  it("refuses n + 2 and n − 2 at plan time, naming the field, environment, given, deployed and right values", () => {
    deployedState(4, 6);
    const up = plan(6);
    assert.equal(up.ok, false, "4 → 6 was planned");
    assert.match(up.output, /Resource precondition failed/);
    assert.match(up.output, REFUSAL(6, 4, "airflow_blue", "5 \\(a rotation\\) or 3 \\(a revert\\)"));
    deployedState(4, 2);
    const down = plan(2);
    assert.equal(down.ok, false, "4 → 2 was planned");
    assert.match(down.output, REFUSAL(2, 4, "airflow_blue", "5 \\(a rotation\\) or 3 \\(a revert\\)"));
  });

  it("keeps the deployed generation when the bootstrap Job fails: the next plan still counts from it", () => {
    deployedState(4, 5);
    const failed = apply(5, false);
    assert.equal(failed.ok, false, "the stand-in Job did not fail the apply");
    assert.match(failed.output, /the bootstrap Job refused/);
    assert.equal(recorded(5), 4, "a failed apply recorded its generation");
    assert.ok(plan(5).ok, "retrying 5 after the failed apply was refused");
    deployedState(5, 4);
    const back = plan(4);
    assert.ok(back.ok, `returning to 4 after the failed rotation (the login in use kept its password) was refused: ${back.output}`);
    deployedState(5, 6);
    const jump = plan(6);
    assert.equal(jump.ok, false, "5 was taken as deployed after its Job failed");
    assert.match(jump.output, REFUSAL(6, 4, "airflow_blue", "5"));
  });

  it("refuses a return to n after a failed revert gave the login in use a new password in state", () => {
    deployedState(4, 3);
    const failed = apply(3, false);
    assert.equal(failed.ok, false, "the stand-in Job did not fail the apply");
    assert.equal(recorded(3), 4);
    assert.ok(plan(3).ok, "retrying the revert was refused");
    deployedState(3, 5);
    assert.ok(plan(5).ok, "a rotation onward was refused");
    deployedState(3, 4);
    const back = plan(4);
    assert.equal(back.ok, false, "4 again was planned although airflow_blue's password in state is no longer the one deployed");
    assert.match(
      back.output,
      /database\.airflowPasswordGeneration\s+in\s+environment\s+gen4:\s+generation\s+4\s+is\s+deployed,\s+but\s+an\s+apply\s+that\s+failed\s+since\s+gave\s+airflow_blue[^]*Set\s+database\.airflowPasswordGeneration\s+to\s+5\s+\(a\s+rotation\)/,
    );
  });

  it("lets any generation through on a state an earlier version wrote (no record): the Job's guard decides", () => {
    rmSync(statePath(2), { force: true });
    const earlier = apply(2, true, false);
    assert.ok(earlier.ok, earlier.output);
    deployedState(2, 6);
    const result = plan(6);
    assert.ok(result.ok, result.output);
  });
});

describe("the platform stack reads its own S3 state back", () => {
  const backend = S3_BACKEND;
  const config = s3Environment;
  const stack = synthesized.stackJson(platformStackName(config.name));
  const [[stateName, state]] = Object.entries(ofCheck(stack.data?.terraform_remote_state));
  const [[listName, listed]] = Object.entries(ofCheck(stack.data?.aws_s3_objects));
  const s3 = stack.terraform.backend.s3;

  it("with exactly the settings of its backend, after listing the state object in the bucket's region", () => {
    assert.ok(config.account.region !== backend.region, "the fixture's bucket must be in another region than the environment");
    assert.equal(state.backend, "s3");
    assert.deepEqual(state.config, s3);
    assert.equal(listed.bucket, s3.bucket);
    assert.equal(listed.prefix, s3.key);
    assert.equal(state.count, `\${contains(data.aws_s3_objects.${listName}.keys, "${String(s3.key)}") ? 1 : 0}`);
    const provider = stack.provider.aws.find((p) => `aws.${String(p.alias)}` === listed.provider);
    assert.equal(provider?.region, backend.region, `the provider listing the state bucket: ${JSON.stringify(provider)}`);
    assert.ok(stateName);
  });

  it("in a configuration Terraform validates (the S3 backend checks the read's settings), offline", () => {
    const records = ofCheck(stack.resource.terraform_data);
    for (const block of Object.values(records)) delete block.depends_on;
    const dir = workdir({
      terraform: { required_providers: { aws: (stack.terraform as unknown as { required_providers: Record<string, unknown> }).required_providers.aws } },
      provider: stack.provider.aws.length > 0 ? { aws: stack.provider.aws } : {},
      data: { terraform_remote_state: ofCheck(stack.data?.terraform_remote_state), aws_s3_objects: ofCheck(stack.data?.aws_s3_objects) },
      resource: { terraform_data: records },
      output: { [DEPLOYED_GENERATION_OUTPUT]: stack.output?.[DEPLOYED_GENERATION_OUTPUT] },
    });
    const validated = run(dir, ["validate", "-no-color"]);
    assert.ok(validated.ok, validated.output);
  });
});

import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { tempDir } from "./temp";

/** The CLI configuration checked into the repo: providers only from the local mirror. */
export const OFFLINE_CLI_CONFIG = resolve(__dirname, "../terraform/offline.tfrc");
export const PROVIDER_MIRROR = "/opt/tf-plugins";
export const AWS_PROVIDER_VERSION = "5.100.0";

/**
 * Test-only override: dummy static keys and no calls to STS or the metadata API, a local backend
 * in place of S3, and no account allowlist (there is no real account to check). Written next to
 * a copy of the synthesized stack, never into cdktf.out and never shipped.
 */
const OFFLINE_OVERRIDE = {
  terraform: { backend: { local: { path: "offline-test.tfstate" } } },
  provider: {
    aws: [
      {
        access_key: "AKIAOFFLINETESTONLY00",
        secret_key: "offline-test-only-not-a-real-secret",
        skip_credentials_validation: true,
        skip_requesting_account_id: true,
        skip_metadata_api_check: true,
        allowed_account_ids: null,
      },
    ],
  },
};

/** Fails with a message that says what is missing and how to get it; never skips. */
export function assertOfflineTerraformAvailable(): void {
  const version = spawnSync("terraform", ["version", "-json"], { encoding: "utf8" });
  if (version.error || version.status !== 0) {
    throw new Error(
      "terraform is not on the PATH: the offline plan tests need Terraform >= 1.10 " +
        `(this project is tested with 1.11.4). ${version.error?.message ?? version.stderr}`,
    );
  }
  const mirrored = join(PROVIDER_MIRROR, "registry.terraform.io/hashicorp/aws");
  if (!existsSync(mirrored)) {
    throw new Error(
      `the AWS provider mirror is missing at ${mirrored}: the offline plan tests need ` +
        `hashicorp/aws ${AWS_PROVIDER_VERSION} there (terraform providers mirror ${PROVIDER_MIRROR}).`,
    );
  }
}

export interface PlanResult {
  readonly workdir: string;
  readonly validateOutput: string;
  /** `terraform show -json` of the saved plan. */
  readonly plan: TerraformPlan;
}

export interface PlannedResource {
  readonly address: string;
  readonly type: string;
  readonly name: string;
  readonly values: Record<string, unknown>;
}

export interface TerraformPlan {
  readonly format_version: string;
  readonly planned_values: { readonly root_module: { readonly resources?: PlannedResource[] } };
  readonly resource_changes: { readonly address: string; readonly type: string; readonly change: { readonly actions: string[]; readonly after_unknown: Record<string, unknown> } }[];
  readonly configuration: {
    readonly provider_config: Record<string, { readonly version_constraint?: string; readonly full_name?: string }>;
    readonly root_module: { readonly resources: { readonly address: string; readonly type: string }[] };
  };
}

function terraform(workdir: string, args: string[]): string {
  try {
    return execFileSync("terraform", args, {
      cwd: workdir,
      encoding: "utf8",
      maxBuffer: 256 * 1024 * 1024,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, TF_CLI_CONFIG_FILE: OFFLINE_CLI_CONFIG, TF_IN_AUTOMATION: "1", CHECKPOINT_DISABLE: "1" },
    });
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`terraform ${args.join(" ")} failed in ${workdir}:\n${failed.stderr ?? ""}${failed.stdout ?? failed.message}`);
  }
}

/** Copies a synthesized stack, adds the offline override, then init, validate, plan, show -json. */
export function planOffline(stackDir: string): PlanResult {
  assertOfflineTerraformAvailable();
  const workdir = tempDir("plan");
  cpSync(stackDir, workdir, { recursive: true });
  writeFileSync(join(workdir, "zz_offline_test_override.tf.json"), JSON.stringify(OFFLINE_OVERRIDE, null, 2));
  terraform(workdir, ["init", "-input=false", "-no-color"]);
  const validateOutput = terraform(workdir, ["validate", "-no-color"]);
  terraform(workdir, ["plan", "-input=false", "-no-color", "-lock=false", "-out=offline.plan"]);
  const plan = JSON.parse(terraform(workdir, ["show", "-json", "offline.plan"])) as TerraformPlan;
  return { workdir, validateOutput, plan };
}

/** A resource already in state, as a hand-written prior state lists it. */
export interface PriorResource {
  readonly type: string;
  readonly name: string;
  readonly attributes: Record<string, unknown>;
}

/**
 * Plans a stack against a prior state written by hand (`-refresh=false`, so nothing is read from
 * AWS): how a change to an existing environment would be planned. Returns Terraform's verdict
 * instead of throwing, so a refused plan can be asserted on.
 */
export function planAgainstState(stackDir: string, prior: readonly PriorResource[]): { readonly ok: boolean; readonly output: string; readonly plan?: TerraformPlan } {
  assertOfflineTerraformAvailable();
  const workdir = tempDir("plan-state");
  cpSync(stackDir, workdir, { recursive: true });
  writeFileSync(join(workdir, "zz_offline_test_override.tf.json"), JSON.stringify(OFFLINE_OVERRIDE, null, 2));
  const state = {
    version: 4,
    terraform_version: "1.11.4",
    serial: 1,
    lineage: "00000000-0000-4000-8000-000000000000",
    outputs: {},
    resources: prior.map((r) => ({
      mode: "managed",
      type: r.type,
      name: r.name,
      provider: 'provider["registry.terraform.io/hashicorp/aws"]',
      instances: [{ schema_version: 0, attributes: r.attributes, sensitive_attributes: [] }],
    })),
  };
  writeFileSync(join(workdir, "offline-test.tfstate"), JSON.stringify(state));
  terraform(workdir, ["init", "-input=false", "-no-color"]);
  try {
    terraform(workdir, ["plan", "-refresh=false", "-input=false", "-no-color", "-lock=false", "-out=offline.plan"]);
  } catch (error) {
    return { ok: false, output: (error as Error).message };
  }
  return { ok: true, output: "", plan: JSON.parse(terraform(workdir, ["show", "-json", "offline.plan"])) as TerraformPlan };
}

export function plannedResources(plan: TerraformPlan, type: string): PlannedResource[] {
  return (plan.planned_values.root_module.resources ?? []).filter((r) => r.type === type);
}

export function onlyPlanned(plan: TerraformPlan, type: string): PlannedResource {
  const found = plannedResources(plan, type);
  if (found.length !== 1) throw new Error(`expected one ${type} in the plan, found ${found.length}`);
  return found[0];
}

type Expression = { readonly constant_value?: unknown; readonly references?: string[] } | Expression[] | { readonly [key: string]: Expression };

/**
 * The resources an attribute of a configured resource refers to, from the plan's configuration
 * section (values that are unknown until apply are still visible here as references).
 */
export function referencesOf(plan: TerraformPlan, type: string, path: readonly (string | number)[], index = 0): string[] {
  const configured = plan.configuration.root_module.resources.filter((r) => r.type === type)[index] as
    | { readonly expressions?: Expression }
    | undefined;
  let node: unknown = configured?.expressions;
  for (const key of path) {
    if (typeof node !== "object" || node === null) return [];
    node = (node as Record<string | number, unknown>)[key];
  }
  const refs = (node as { references?: string[] } | undefined)?.references;
  return refs ?? [];
}

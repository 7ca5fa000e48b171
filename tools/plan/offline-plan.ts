import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

// Real Terraform with the real AWS provider, offline: the policy suite reads the infrastructure
// stack's plan. Shipped with the package (the `airflow-platform policy` command), used by the tests.

/** Where `terraform providers mirror` put hashicorp/aws; AIRFLOW_PLATFORM_PROVIDER_MIRROR overrides. */
export const DEFAULT_PROVIDER_MIRROR = "/opt/tf-plugins";
export const AWS_PROVIDER_VERSION = "5.100.0";

export function providerMirror(): string {
  return process.env.AIRFLOW_PLATFORM_PROVIDER_MIRROR ?? DEFAULT_PROVIDER_MIRROR;
}

/**
 * Dummy static keys and no calls to STS or the metadata API, a local backend in place of S3,
 * and no account allowlist (there is no real account to check). Written next to a copy of the
 * synthesized stack, never into cdktf.out.
 */
export const OFFLINE_OVERRIDE = {
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

/** Terraform's CLI configuration: providers only from the local mirror, never a registry. */
export function offlineCliConfig(mirror: string = providerMirror()): string {
  return [
    "provider_installation {",
    "  filesystem_mirror {",
    `    path    = ${JSON.stringify(mirror)}`,
    '    include = ["registry.terraform.io/hashicorp/aws"]',
    "  }",
    "}",
    "",
  ].join("\n");
}

/** Fails with a message that says what is missing and how to get it; never skips. */
export function assertOfflineTerraformAvailable(mirror: string = providerMirror()): void {
  const version = spawnSync("terraform", ["version", "-json"], { encoding: "utf8" });
  if (version.error || version.status !== 0) {
    throw new Error(
      "terraform is not on the PATH: the offline plan needs Terraform >= 1.10 " +
        `(this project is tested with 1.11.4). ${version.error?.message ?? version.stderr}`,
    );
  }
  const mirrored = join(mirror, "registry.terraform.io/hashicorp/aws");
  if (!existsSync(mirrored)) {
    throw new Error(
      `the AWS provider mirror is missing at ${mirrored}: the offline plan needs hashicorp/aws ` +
        `${AWS_PROVIDER_VERSION} there (terraform providers mirror ${mirror}; or set AIRFLOW_PLATFORM_PROVIDER_MIRROR).`,
    );
  }
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

export interface PlanResult {
  readonly workdir: string;
  readonly validateOutput: string;
  /** `terraform show -json` of the saved plan. */
  readonly plan: TerraformPlan;
}

/** Runs terraform offline in a directory; a failure carries its output. */
export function terraform(workdir: string, args: string[]): string {
  try {
    return execFileSync("terraform", args, {
      cwd: workdir,
      encoding: "utf8",
      maxBuffer: 256 * 1024 * 1024,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, TF_CLI_CONFIG_FILE: join(workdir, ".offline.tfrc"), TF_IN_AUTOMATION: "1", CHECKPOINT_DISABLE: "1" },
    });
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`terraform ${args.join(" ")} failed in ${workdir}:\n${failed.stderr ?? ""}${failed.stdout ?? failed.message}`);
  }
}

/** A copy of a synthesized stack with the offline override and CLI configuration beside it. */
export function offlineCopy(stackDir: string, workdir: string, mirror: string = providerMirror()): void {
  cpSync(stackDir, workdir, { recursive: true });
  writeFileSync(join(workdir, "zz_offline_test_override.tf.json"), JSON.stringify(OFFLINE_OVERRIDE, null, 2));
  writeFileSync(join(workdir, ".offline.tfrc"), offlineCliConfig(mirror));
}

/**
 * init, validate, plan and show -json on a copy of a synthesized stack, offline. The copy goes
 * to `workdir` (kept, for tests that read it) or to a temporary directory removed afterwards.
 */
export function planOffline(stackDir: string, workdir?: string): PlanResult {
  assertOfflineTerraformAvailable();
  const dir = workdir ?? mkdtempSync(join(tmpdir(), "airflow-platform-plan-"));
  try {
    offlineCopy(stackDir, dir);
    terraform(dir, ["init", "-input=false", "-no-color"]);
    const validateOutput = terraform(dir, ["validate", "-no-color"]);
    terraform(dir, ["plan", "-input=false", "-no-color", "-lock=false", "-out=offline.plan"]);
    const plan = JSON.parse(terraform(dir, ["show", "-json", "offline.plan"])) as TerraformPlan;
    return { workdir: dir, validateOutput, plan };
  } finally {
    if (workdir === undefined) rmSync(dir, { recursive: true, force: true });
  }
}

import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join, relative } from "node:path";
import { packageManifest } from "../../../lib/data-files";

// checkov (pinned in python/tools.in, installed by `npm run install-python`) over a directory of
// artefacts in one run: Terraform plans (`*.tfplan.json`), synthesized stacks (`<stack>/cdk.tf.json`)
// and rendered manifests (`*.yaml`). Offline: no download of guidelines or external checks.

export const CHECKOV_FRAMEWORKS = ["terraform_plan", "terraform_json", "kubernetes"] as const;

/** Every check reported (passed ones too: no --quiet), as JSON, without code excerpts; findings never fail the run itself. */
export const CHECKOV_ARGUMENTS: readonly string[] = ["--framework", ...CHECKOV_FRAMEWORKS, "--output", "json", "--compact", "--skip-download", "--soft-fail"];

/** checkov's verdict on one check of one resource in one artefact file. */
export interface CheckovResult {
  readonly checkId: string;
  readonly checkName: string;
  /** checkov's resource id, e.g. `aws_db_instance.metadata-database_instance_D9F9ED63`, `Deployment.default.airflow-scheduler`. */
  readonly resource: string;
  /** The artefact's file, relative to the scanned directory. */
  readonly file: string;
  readonly passed: boolean;
}

/** The project's tools venv, or AIRFLOW_PLATFORM_CHECKOV; a missing checkov says how to install it. */
export function checkovProgram(): string {
  const configured = process.env.AIRFLOW_PLATFORM_CHECKOV;
  if (configured) return configured;
  const path = join(packageManifest(), "..", "node_modules", ".cache", "airflow-platform", "venvs", "tools", "bin", "checkov");
  if (!existsSync(path)) throw new Error(`checkov is not installed at ${path}: run \`npm run install-python\` (node scripts/install-python.js tools), or set AIRFLOW_PLATFORM_CHECKOV`);
  return path;
}

interface Report {
  readonly check_type: string;
  readonly results: { readonly passed_checks?: RawCheck[]; readonly failed_checks?: RawCheck[] };
}
interface RawCheck {
  readonly check_id: string;
  readonly check_name: string;
  readonly resource: string;
  readonly file_path: string;
}

/** Runs checkov once over every artefact under `dir`; every passed and failed check. */
export function runCheckov(dir: string): CheckovResult[] {
  const run = spawnSync(
    checkovProgram(),
    ["--directory", dir, ...CHECKOV_ARGUMENTS],
    { encoding: "utf8", maxBuffer: 256 * 1024 * 1024, env: { ...process.env, BC_SKIP_MAPPING: "TRUE", CHECKOV_RUN_SCA_PACKAGE_SCAN_V2: "false" } },
  );
  if (run.error || run.status !== 0) throw new Error(`checkov failed on ${dir} (exit ${run.status}): ${run.error?.message ?? run.stderr.slice(-2000)}`);
  const parsed = JSON.parse(run.stdout) as Report | Report[] | { readonly passed: number; readonly failed: number };
  const reports = (Array.isArray(parsed) ? parsed : [parsed]).filter((r): r is Report => "results" in r);
  const file = (path: string) => relative(dir, join(dir, path.replace(/^\//, "")));
  return reports.flatMap((report) => [
    ...(report.results.passed_checks ?? []).map((c) => ({ checkId: c.check_id, checkName: c.check_name, resource: c.resource, file: file(c.file_path), passed: true })),
    ...(report.results.failed_checks ?? []).map((c) => ({ checkId: c.check_id, checkName: c.check_name, resource: c.resource, file: file(c.file_path), passed: false })),
  ]);
}

import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { parse } from "yaml";
import { AIRFLOW_CHART } from "../../constructs/airflow/chart-versions";
import { AirflowRelease } from "../../constructs/airflow/airflow-release";
import { App, TerraformStack } from "../../constructs/core";
import { dataFile } from "../../lib/data-files";
import { deepMerge } from "../../lib/deep-merge";
import { loadEnvironments, validateEnvironment } from "../../environments";
import type { EnvironmentConfig } from "../../configuration/schema/environment-config";
import { airflowValuesFor } from "../../configuration/derived/airflow-values";
import { shippedWith } from "../support/environments";

type Values = Record<string, Record<string, unknown>>;
const environments = loadEnvironments(undefined);
const configOf = (name: string): EnvironmentConfig => {
  const config = environments.find((e) => e.name === name);
  assert.ok(config, name);
  return config;
};
const valuesOf = (config: EnvironmentConfig) => airflowValuesFor(config) as Values;
const chartDefaults = parse(readFileSync(dataFile("airflow-chart", "values.yaml"), "utf8")) as Values;
/** What Helm renders from: the chart's defaults with the project's values merged over them. */
const rendered = (config: EnvironmentConfig) => deepMerge(chartDefaults, valuesOf(config)) as Values;

describe("new DAGs", () => {
  it("start unpaused by default, so the nightly DAG runs without a click", () => {
    for (const config of environments) {
      assert.equal(config.airflow.dagsPausedAtCreation, false);
      assert.equal((valuesOf(config).config.core as Record<string, string>).dags_are_paused_at_creation, "False", config.name);
    }
  });

  it("start paused when the environment says so", () => {
    const result = validateEnvironment(shippedWith("staging", { airflow: { dagsPausedAtCreation: true } }));
    assert.ok(result.ok);
    assert.equal((valuesOf(result.config).config.core as Record<string, string>).dags_are_paused_at_creation, "True");
  });
});

/** The log-groomer containers Helm would run: every enabled sidecar, once per replica of its pod (read from the rendered values, independently of values-guarantees.ts). */
function groomers(values: Values): { component: string; replicas: number; retentionDays: unknown }[] {
  const components = ["scheduler", "triggerer", "dagProcessor"] as const;
  return components.flatMap((component) => {
    const section = values[component] as { replicas?: number; enabled?: boolean; logGroomerSidecar?: { enabled?: boolean; retentionDays?: unknown } };
    if (section.enabled === false || section.logGroomerSidecar?.enabled !== true) return [];
    return [{ component, replicas: Number(section.replicas ?? 1), retentionDays: section.logGroomerSidecar.retentionDays }];
  });
}

describe("the nightly run's concurrency", () => {
  it("lets one DAG run use every slot the schedulers have, not Airflow's default of 16", () => {
    for (const config of environments) {
      const core = (rendered(config).config as Record<string, Record<string, string>>).core;
      assert.equal(Number(core.max_active_tasks_per_dag), config.airflow.parallelism * config.airflow.schedulerReplicas, config.name);
    }
  });

  it("lets a task wait queued for a node to join from zero, longer than Airflow's 600 s default", () => {
    for (const config of environments) {
      const scheduler = (rendered(config).config as Record<string, Record<string, string>>).scheduler;
      assert.ok(Number(scheduler.task_queued_timeout) >= 1800, `${config.name}: ${scheduler.task_queued_timeout}`);
    }
  });
});

describe("task logs on the shared volume", () => {
  it("are groomed by one process at most, on the dag processor, with the environment's retention", () => {
    for (const config of environments) {
      const found = groomers(rendered(config));
      assert.deepEqual(found, [{ component: "dagProcessor", replicas: 1, retentionDays: config.logStorage.retentionDays }], config.name);
    }
    assert.equal(configOf("prod").logStorage.retentionDays, 180);
    assert.equal(configOf("dev").logStorage.retentionDays, 60);
  });

  it("are kept past the move to Infrequent Access in every environment", () => {
    for (const config of environments) assert.ok(config.logStorage.retentionDays > config.logStorage.transitionToInfrequentAccessDays, config.name);
  });

  it("may not be deleted before the EFS lifecycle would move them, and the error gives both numbers", () => {
    const result = validateEnvironment(shippedWith("prod", { logStorage: { retentionDays: 30, transitionToInfrequentAccessDays: 30 } }));
    assert.equal(result.ok, false);
    const problem = result.ok ? undefined : result.problems.find((p) => p.field === "logStorage.retentionDays");
    assert.ok(problem);
    assert.equal(problem.constructPath, "prod/prod-platform/airflow");
    assert.equal(problem.given, "30");
    assert.match(problem.allowed, /transitionToInfrequentAccessDays \(30\)/);
  });
});

describe("the schema-migration Job", () => {
  it("is deleted when it finishes, so a re-apply creates it afresh instead of patching its immutable pod template", () => {
    for (const config of environments) {
      const job = rendered(config).migrateDatabaseJob;
      assert.equal(job.enabled, true);
      assert.equal(job.useHelmHooks, false, "terraform-provider-helm#683");
      assert.equal(job.ttlSecondsAfterFinished, 0, `${config.name}: a finished Job that outlives the apply blocks the next upgrade that changes its image`);
    }
  });

  it("is still awaited: the release never looks up the deleted Job, and every component waits for the migration", () => {
    const app = new App();
    const stack = new TerraformStack(app, "probe");
    const config = configOf("dev");
    new AirflowRelease(stack, "airflow", { environment: "dev", namespace: "airflow", values: valuesOf(config) });
    const json = stack.toTerraform() as { resource: { helm_release: Record<string, Record<string, unknown>> } };
    const [release] = Object.values(json.resource.helm_release);
    assert.equal(release.wait, true);
    assert.equal(release.wait_for_jobs, false);
    const values = rendered(config);
    for (const component of ["scheduler", "apiServer", "triggerer", "dagProcessor"]) {
      assert.equal((values[component].waitForMigrations as { enabled: boolean }).enabled, true, component);
    }
  });
});

/** Every `semverCompare "<constraint>" .Values.airflowVersion` in the chart's templates. */
function semverGates(): string[] {
  const root = dataFile("airflow-chart", "chart");
  const walk = (dir: string): string[] => readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? walk(join(dir, name)) : [join(dir, name)]));
  return walk(root).flatMap((file) => [...readFileSync(file, "utf8").matchAll(/semverCompare\s+"([^"]+)"\s+\.Values\.airflowVersion/g)].map((m) => m[1]));
}

function satisfies(version: string, constraint: string): boolean {
  const match = /^(>=|<=|>|<|=)?\s*(\d+)\.(\d+)\.(\d+)$/.exec(constraint.trim());
  assert.ok(match, `unexpected constraint ${constraint}`);
  const [a, b] = [version, `${match[2]}.${match[3]}.${match[4]}`].map((v) => v.split(".").map(Number));
  const cmp = a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
  const results: Record<string, boolean> = { ">=": cmp >= 0, "<=": cmp <= 0, ">": cmp > 0, "<": cmp < 0, "=": cmp === 0 };
  return results[match[1] ?? "="] === true;
}

describe("the Airflow version", () => {
  it("is newer than the chart's 3.1.7 and takes every template gate the way the chart's own version does", () => {
    const gates = semverGates();
    assert.ok(gates.length > 50, `found ${gates.length} gates`);
    assert.ok(satisfies(AIRFLOW_CHART.airflowVersion, ">=3.1.8"), AIRFLOW_CHART.airflowVersion);
    for (const gate of gates) assert.equal(satisfies(AIRFLOW_CHART.airflowVersion, gate), satisfies("3.1.7", gate), gate);
    for (const config of environments) {
      assert.equal(valuesOf(config).airflowVersion as unknown, AIRFLOW_CHART.airflowVersion);
      // The image's tag starts with the version it runs (constructs/airflow/airflow-image.ts).
      const image = (valuesOf(config).images as Record<string, Record<string, string>>).airflow;
      assert.ok(image.tag.startsWith(`${AIRFLOW_CHART.airflowVersion}-`), image.tag);
    }
  });
});

/**
 * The ref git-sync v4 syncs, given the environment the chart renders for it: a non-empty
 * deprecated GIT_SYNC_BRANCH (with GIT_SYNC_REV empty or HEAD) wins, then a non-empty
 * GIT_SYNC_REV, and only then GITSYNC_REF (git-sync cmd/git-sync/main.go, v4).
 */
function gitSyncRef(git: Record<string, unknown>): string {
  const branch = String(git.branch ?? "");
  const rev = String(git.rev ?? "");
  if (branch !== "" && (rev === "" || rev === "HEAD")) return branch;
  if (rev !== "") return rev;
  return String(git.ref ?? "HEAD");
}

describe("git-sync", () => {
  it("syncs the environment's branch through `ref`, with the chart's v3 branch and rev switched off", () => {
    for (const config of environments) {
      const git = (rendered(config).dags.gitSync ?? {}) as Record<string, unknown>;
      assert.equal(git.ref, config.airflow.gitSync.branch);
      assert.equal(gitSyncRef(git), config.airflow.gitSync.branch, config.name);
      assert.equal(git.branch, "");
      assert.equal(git.rev, "");
    }
    // Without that, the chart's default branch would win over ref.
    assert.equal(gitSyncRef({ ...chartDefaults.dags.gitSync as Record<string, unknown>, ref: "main" }), "v2-2-stable");
  });
});

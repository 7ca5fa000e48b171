import { writeFileSync } from "node:fs";
import { join } from "node:path";

// Airflow 3 /api/v2 responses for the capacity tests' own small DAGs, field for field as the
// OpenAPI document in data/airflow-api requires them (the parser validates every file against it):
// TaskCollectionResponse, TaskInstanceCollectionResponse and the /tries endpoint's
// TaskInstanceHistoryCollectionResponse.

export const DAG_ID = "fixture_nightly";
const DAY = "2026-10-05";
export const RUN_AFTER = Date.parse(`${DAY}T01:00:00Z`);
export const runId = (day = DAY) => `scheduled__${day}T01:00:00+00:00`;
const iso = (ms: number) => new Date(ms).toISOString();
const delta = (seconds: number) => ({ __type: "TimeDelta", days: Math.floor(seconds / 86400), seconds: seconds % 86400, microseconds: 0 });
const VERSION = { id: "0b6f3c1e-8f7a-4c2d-9e1b-2a3c4d5e6f70", version_number: 3, dag_id: DAG_ID, bundle_name: "dags-folder", bundle_version: null, created_at: "2026-10-01T09:00:00Z", dag_display_name: DAG_ID, bundle_url: null };

export interface FixtureTask {
  readonly id: string;
  readonly downstream?: readonly string[];
  readonly retryDelaySeconds?: number;
  readonly exponentialBackoff?: boolean;
}

export function tasksResponse(tasks: readonly FixtureTask[]): Record<string, unknown> {
  return {
    tasks: tasks.map((t) => ({
      task_id: t.id, task_display_name: t.id, owner: "data", start_date: "2026-01-05T00:00:00Z", end_date: null, trigger_rule: "all_success",
      depends_on_past: false, wait_for_downstream: false, retries: 2, queue: "default", pool: "default_pool", pool_slots: 1, execution_timeout: null,
      retry_delay: delta(t.retryDelaySeconds ?? 300), retry_exponential_backoff: t.exponentialBackoff ? 2 : 0, priority_weight: 1, weight_rule: "downstream",
      ui_color: "#fff", ui_fgcolor: "#000", template_fields: [], downstream_task_ids: [...(t.downstream ?? [])], doc_md: null,
      operator_name: "KubernetesPodOperator", params: {}, class_ref: { module_path: "airflow.providers.cncf.kubernetes.operators.pod", class_name: "KubernetesPodOperator" },
      is_mapped: false, extra_links: [],
    })),
    total_entries: tasks.length,
  };
}

export interface FixtureInstance {
  readonly task: string;
  /** Seconds after the run's start. */
  readonly start: number;
  /** Seconds after the run's start; undefined while running. */
  readonly end?: number;
  readonly state?: string;
  readonly tryNumber?: number;
  readonly mapIndex?: number;
  readonly run?: string;
  readonly dagId?: string;
  /** Seconds from queued to start. */
  readonly queuedFor?: number;
}

function common(i: FixtureInstance, base: number) {
  const start = base + i.start * 1000;
  const end = i.end === undefined ? null : base + i.end * 1000;
  return {
    task_id: i.task, dag_id: i.dagId ?? DAG_ID, dag_run_id: i.run ?? runId(), map_index: i.mapIndex ?? -1,
    start_date: iso(start), end_date: end === null ? null : iso(end), duration: end === null ? null : (end - start) / 1000,
    state: i.state ?? (end === null ? "running" : "success"), try_number: i.tryNumber ?? 1, max_tries: 2, task_display_name: i.task,
    dag_display_name: i.dagId ?? DAG_ID, hostname: "fixture-pod", unixname: "airflow", pool: "default_pool", pool_slots: 1, queue: "default",
    priority_weight: 1, operator: "KubernetesPodOperator", operator_name: "KubernetesPodOperator", queued_when: iso(start - (i.queuedFor ?? 2) * 1000),
    scheduled_when: iso(start - ((i.queuedFor ?? 2) + 1) * 1000), pid: 4242, executor: null, executor_config: "{}", dag_version: VERSION,
  };
}

export function instancesResponse(instances: readonly FixtureInstance[], base = RUN_AFTER): Record<string, unknown> {
  return {
    task_instances: instances.map((i, n) => ({
      id: `0195d1c2-0000-7000-8000-${String(n).padStart(12, "0")}`, ...common(i, base), logical_date: iso(base), run_after: iso(base),
      note: null, rendered_map_index: null, rendered_fields: {}, trigger: null, triggerer_job: null,
    })),
    total_entries: instances.length,
  };
}

/** The response of `/taskInstances/{task_id}/tries`: every try, failed ones included. */
export function triesResponse(tries: readonly FixtureInstance[], base = RUN_AFTER): Record<string, unknown> {
  return { task_instances: tries.map((t) => common(t, base)), total_entries: tries.length };
}

/** Writes documents into a directory and returns their paths, by name. */
export function writeExports(dir: string, files: Readonly<Record<string, unknown>>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(files).map(([name, doc]) => {
      const path = join(dir, name);
      writeFileSync(path, typeof doc === "string" ? doc : JSON.stringify(doc));
      return [name, path];
    }),
  );
}

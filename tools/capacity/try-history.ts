import type { DagExport, ExportProblem, RunsExport } from "./airflow-export";
import { instanceKey, type TriesExport } from "./tries-export";

// The tries before each task instance's final one, with the delay Airflow waited before the next:
// what the replay runs on top of the final try, so failed work costs node time and wall time.

/** One try that ended without success, and the wait before the next try was queued. */
export interface FailedTry {
  readonly durationSeconds: number;
  readonly retryDelaySeconds: number;
}

export interface TryHistory {
  /** By `instanceKey(run, task, map index)`: the tries before the final one, in order. */
  readonly failedTries: ReadonlyMap<string, readonly FailedTry[]>;
  readonly notes: readonly string[];
  readonly problems: readonly ExportProblem[];
}

/** Airflow's default `retry_delay` (300 s), for a task whose export gives none and whose gap is not recorded. */
export const DEFAULT_RETRY_DELAY_SECONDS = 300;

/**
 * Airflow's wait before try n+1: `retry_delay`, doubled per try with `retry_exponential_backoff`
 * (Airflow adds a little jitter to that, which the replay leaves out); without the task's
 * `retry_delay`, the gap the record shows between the try's end and the next one's start.
 */
function delayAfter(tryNumber: number, task: { retryDelaySeconds?: number; exponentialBackoff?: boolean } | undefined, recordedGap: number | undefined): number {
  if (task?.retryDelaySeconds !== undefined) return task.retryDelaySeconds * (task.exponentialBackoff ? 2 ** (tryNumber - 1) : 1);
  return recordedGap ?? DEFAULT_RETRY_DELAY_SECONDS;
}

export function tryHistory(dag: DagExport, runs: readonly RunsExport[], exports: readonly TriesExport[]): TryHistory {
  const tasks = new Map(dag.tasks.map((t) => [t.taskId, t]));
  const finals = new Map(runs.flatMap((r) => r.instances).map((ti) => [instanceKey(ti.runId, ti.taskId, ti.mapIndex), ti]));
  const runIds = new Set([...finals.values()].map((ti) => ti.runId));
  const dagIds = new Set([...finals.values()].map((ti) => ti.dagId));
  const problems: ExportProblem[] = [];
  const byInstance = new Map<string, { tryNumber: number; durationSeconds: number | null; startMs: number | null; endMs: number | null }[]>();
  for (const file of exports) {
    file.tries.forEach((t, i) => {
      const path = `/task_instances/${i}`;
      if (!dagIds.has(t.dagId)) problems.push({ file: file.file, path: `${path}/dag_id`, expected: `a try of the DAG the runs export (${[...dagIds].join(", ")}; got "${t.dagId}")` });
      else if (!runIds.has(t.runId)) problems.push({ file: file.file, path: `${path}/dag_run_id`, expected: `a try of one of the exported runs (${[...runIds].join(", ")}; got "${t.runId}")` });
      else if (!tasks.has(t.taskId)) problems.push({ file: file.file, path: `${path}/task_id`, expected: `a task of the DAG export ${dag.file} (got "${t.taskId}")` });
      else {
        const key = instanceKey(t.runId, t.taskId, t.mapIndex);
        byInstance.set(key, [...(byInstance.get(key) ?? []), t]);
      }
    });
  }
  const failedTries = new Map<string, FailedTry[]>();
  let retried = 0;
  let uncovered = 0;
  const fallbacks = new Set<string>();
  for (const [key, final] of finals) {
    const earlier = (byInstance.get(key) ?? []).filter((t) => t.tryNumber < final.tryNumber).sort((a, b) => a.tryNumber - b.tryNumber);
    if (final.tryNumber > 1 && earlier.length === 0) uncovered += 1;
    const ran = earlier.filter((t) => t.durationSeconds !== null);
    if (ran.length === 0) continue;
    retried += 1;
    const task = tasks.get(final.taskId);
    if (task?.retryDelaySeconds === undefined) fallbacks.add(final.taskId);
    failedTries.set(
      key,
      ran.map((t, i) => {
        const nextStart = i + 1 < ran.length ? ran[i + 1].startMs : final.startMs;
        const gap = nextStart !== null && t.endMs !== null ? Math.max(0, (nextStart - t.endMs) / 1000) : undefined;
        return { durationSeconds: t.durationSeconds ?? 0, retryDelaySeconds: delayAfter(t.tryNumber, task, gap) };
      }),
    );
  }
  const notes: string[] = [];
  if (retried > 0) notes.push(`${retried} task instance${retried === 1 ? "" : "s"} retried: their failed tries run in the replay, each followed by the task's retry_delay`);
  if (fallbacks.size > 0) notes.push(`no retry_delay in the DAG export for ${[...fallbacks].slice(0, 3).join(", ")}${fallbacks.size > 3 ? ", …" : ""}: the recorded gap between tries stands in (else Airflow's default ${DEFAULT_RETRY_DELAY_SECONDS} s)`);
  if (uncovered > 0) {
    notes.push(
      `warning: only final tries are available for ${uncovered} task instance${uncovered === 1 ? "" : "s"} that ran more than once (try_number > 1): their failed tries and retry delays are not counted; ` +
        "pass --tries with the exports of GET /api/v2/dags/{dag_id}/dagRuns/{run_id}/taskInstances/{task_id}/tries",
    );
  }
  return { failedTries, notes, problems };
}

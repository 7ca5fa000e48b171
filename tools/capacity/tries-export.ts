import { ExportError, validated, type ApiVersion, type ExportProblem } from "./airflow-export";
import { durationOf, timeOf } from "./export-fields";

// Every try of a task instance, from the `/tries` endpoint: the taskInstances endpoint returns one
// row per instance (its latest try), so a task that failed twice before it succeeded looks like a
// single short run there. The tries add the failed runs and the delays between them.

/** One try of one task instance. */
export interface ExportedTry {
  readonly dagId: string;
  readonly runId: string;
  readonly taskId: string;
  readonly mapIndex: number;
  readonly tryNumber: number;
  readonly state: string | null;
  /** Null when the try never ran (or is still running). */
  readonly durationSeconds: number | null;
  readonly startMs: number | null;
  readonly endMs: number | null;
}

export interface TriesExport {
  readonly file: string;
  readonly version: ApiVersion;
  readonly tries: readonly ExportedTry[];
}

/** `GET /api/v2/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/tries` (or /api/v1, Airflow 2.10+). */
export function parseTriesExport(file: string, text: string): TriesExport {
  const { version, data } = validated("tries", file, text);
  const raw = data.task_instances as Record<string, unknown>[];
  const problems: ExportProblem[] = [];
  if (raw.length === 0) problems.push({ file, path: "/task_instances", expected: "at least one try (an empty /tries export says nothing)" });
  const tries = raw.map((ti, i): ExportedTry => {
    if (typeof ti.try_number !== "number") problems.push({ file, path: `/task_instances/${i}/try_number`, expected: "the try's number" });
    return {
      dagId: String(ti.dag_id ?? ""),
      runId: String(ti.dag_run_id ?? ""),
      taskId: String(ti.task_id ?? ""),
      mapIndex: typeof ti.map_index === "number" ? ti.map_index : -1,
      tryNumber: typeof ti.try_number === "number" ? ti.try_number : 0,
      state: typeof ti.state === "string" ? ti.state : null,
      durationSeconds: durationOf(ti),
      startMs: timeOf(ti.start_date),
      endMs: timeOf(ti.end_date),
    };
  });
  tries.forEach((t, i) => {
    if (t.taskId === "") problems.push({ file, path: `/task_instances/${i}/task_id`, expected: "the task's id" });
    if (t.runId === "") problems.push({ file, path: `/task_instances/${i}/dag_run_id`, expected: "the run's id" });
  });
  if (problems.length > 0) throw new ExportError(problems);
  return { file, version, tries };
}

/** `run/task[index]`: one task instance across the exports. */
export const instanceKey = (runId: string, taskId: string, mapIndex: number) => `${runId}/${taskId}[${mapIndex}]`;

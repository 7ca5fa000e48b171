import type { ErrorObject, ValidateFunction } from "ajv";
import { readFileSync } from "node:fs";
import { dataFile } from "../../lib/data-files";
import { durationOf, secondsOf, timeOf } from "./export-fields";

// Exports of Airflow's stable REST API, checked against the response schemas of Airflow's own
// OpenAPI specifications (data/airflow-api): the DAG's tasks, whose downstream_task_ids give the
// graph, and the task instances of its runs, whose durations give the work. Airflow 3's /api/v2
// and Airflow 2's /api/v1 are both accepted.

export type ApiVersion = "v2" | "v1";

/** One thing wrong with an export: which file, where in it (a JSON pointer), what was expected. */
export interface ExportProblem {
  readonly file: string;
  readonly path: string;
  readonly expected: string;
}

export class ExportError extends Error {
  constructor(readonly problems: readonly ExportProblem[]) {
    super(`Airflow export refused, ${problems.length} problem${problems.length === 1 ? "" : "s"}:\n${problems.map((p) => `  - ${p.file} ${p.path}: ${p.expected}`).join("\n")}`);
    this.name = "ExportError";
  }
}

export interface ExportedTask {
  readonly taskId: string;
  readonly downstream: readonly string[];
  /** The task's own priority_weight (the run's effective weights come from task instances). */
  readonly priorityWeight: number;
  /** `retry_delay` in seconds, when the export gives it. */
  readonly retryDelaySeconds?: number;
  /** `retry_exponential_backoff`: the delay doubles with every try. */
  readonly exponentialBackoff?: boolean;
}

export interface DagExport {
  readonly file: string;
  readonly version: ApiVersion;
  readonly tasks: readonly ExportedTask[];
}

export interface ExportedTaskInstance {
  readonly dagId: string;
  readonly runId: string;
  readonly taskId: string;
  readonly mapIndex: number;
  readonly state: string | null;
  /** Seconds from start to end; null when the instance never ran or is still running. */
  readonly durationSeconds: number | null;
  /** Which try this row is (1 for the first); the export holds only each instance's latest. */
  readonly tryNumber: number;
  /** Epoch milliseconds, when recorded. */
  readonly startMs: number | null;
  readonly endMs: number | null;
  /** When Airflow queued it (`queued_when`): start − queued is the start latency. */
  readonly queuedMs: number | null;
  /** Airflow's own pool (slots), not a node pool. */
  readonly airflowPool: string;
  readonly poolSlots: number;
  readonly priorityWeight: number | null;
}

export interface RunsExport {
  readonly file: string;
  readonly version: ApiVersion;
  readonly instances: readonly ExportedTaskInstance[];
  /** `total_entries`: more than the instances here means pages are missing. */
  readonly totalEntries: number | undefined;
  /** The latest time the export records (a start, end or queued time): when it was taken, at the earliest. */
  readonly latestMs: number | undefined;
}

interface Endpoint {
  readonly schema: string;
  readonly route: string;
}

const ENDPOINTS = {
  tasks: { v2: { schema: "TaskCollectionResponse", route: "GET /api/v2/dags/{dag_id}/tasks" }, v1: { schema: "TaskCollection", route: "GET /api/v1/dags/{dag_id}/tasks" } },
  taskInstances: {
    v2: { schema: "TaskInstanceCollectionResponse", route: "GET /api/v2/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances" },
    v1: { schema: "TaskInstanceCollection", route: "GET /api/v1/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances" },
  },
  tries: {
    v2: { schema: "TaskInstanceHistoryCollectionResponse", route: "GET /api/v2/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/tries" },
    v1: { schema: "TaskInstanceHistoryCollection", route: "GET /api/v1/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/tries" },
  },
} as const satisfies Record<string, Record<ApiVersion, Endpoint>>;

export type ExportKind = keyof typeof ENDPOINTS;
type Kind = ExportKind;

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/i;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

let validators: ReadonlyMap<string, ValidateFunction> | undefined;

/** One validator per response, compiled once from the OpenAPI documents in data/airflow-api. */
function validatorFor(kind: Kind, version: ApiVersion): ValidateFunction {
  if (!validators) {
    // Loaded on first use: synthesis never reads exports, so it never pays for ajv here.
    const { default: Ajv } = require("ajv") as typeof import("ajv");
    const ajv = new Ajv({ allErrors: true, strict: true, formats: { "date-time": ISO_DATE_TIME, datetime: ISO_DATE_TIME, uuid: UUID } });
    // The OpenAPI documents' own top-level keys; schemas are referenced by pointer into them.
    for (const keyword of ["openapi", "info", "components"]) ajv.addKeyword(keyword);
    const compiled = new Map<string, ValidateFunction>();
    for (const version of ["v2", "v1"] as const) {
      const document = JSON.parse(readFileSync(dataFile("airflow-api", `${version}-task-responses.json`), "utf8")) as object;
      ajv.addSchema({ ...document, $id: `airflow-${version}` });
      for (const kind of Object.keys(ENDPOINTS) as Kind[]) {
        compiled.set(`${kind}/${version}`, ajv.compile({ $ref: `airflow-${version}#/components/schemas/${ENDPOINTS[kind][version].schema}` }));
      }
    }
    validators = compiled;
  }
  const validator = validators.get(`${kind}/${version}`);
  if (!validator) throw new Error(`no validator for ${kind} ${version}`);
  return validator;
}

/** ajv's errors as "must be array or null": the branches of an anyOf folded into one line. */
function describeErrors(errors: readonly ErrorObject[]): { path: string; message: string }[] {
  const folded: { path: string; message: string }[] = [];
  const anyOfs = errors.filter((e) => e.keyword === "anyOf");
  const inAnyOf = (e: ErrorObject) => anyOfs.some((a) => a !== e && a.instancePath === e.instancePath && e.schemaPath.startsWith(`${a.schemaPath}/`));
  for (const error of errors) {
    if (inAnyOf(error)) continue;
    if (error.keyword === "anyOf") {
      const types = errors.filter((e) => e.keyword === "type" && e.instancePath === error.instancePath && e.schemaPath.startsWith(`${error.schemaPath}/`)).map((e) => String(e.params.type));
      folded.push({ path: error.instancePath || "/", message: types.length > 0 ? `must be ${[...new Set(types)].join(" or ")}` : String(error.message) });
    } else {
      folded.push({ path: error.instancePath || "/", message: String(error.message) });
    }
  }
  return folded;
}

const MAX_PROBLEMS_PER_FILE = 12;

/**
 * The document checked strictly against the one API version it is written in (see looksLike):
 * /api/v1's schemas require almost nothing, so trying v1 after a failed v2 would read a v2 export
 * that lacks fields (say `map_index`) as v1 and silently collapse its mapped work.
 */
export function validated(kind: Kind, file: string, text: string): { version: ApiVersion; data: Record<string, unknown> } {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new ExportError([{ file, path: "/", expected: `JSON (${(error as Error).message})` }]);
  }
  const version = looksLike(kind, data);
  const validate = validatorFor(kind, version);
  if (validate(data) === true) return { version, data: data as Record<string, unknown> };
  const errors = describeErrors(validate.errors ?? []);
  const endpoint = ENDPOINTS[kind][version];
  const why = version === "v2" ? "" : `; read as /api/v1 because it carries ${V1_ONLY[kind].join(" or ")}`;
  const problems = errors.slice(0, MAX_PROBLEMS_PER_FILE).map((e) => ({ file, path: e.path, expected: `${e.message} (${endpoint.schema}, the response of ${endpoint.route}${why})` }));
  if (errors.length > MAX_PROBLEMS_PER_FILE) problems.push({ file, path: "…", expected: `and ${errors.length - MAX_PROBLEMS_PER_FILE} more problems` });
  throw new ExportError(problems);
}

/** Fields only Airflow 2's /api/v1 writes: a document with one of them (and none of v2's) is read as v1. */
const V1_ONLY: Record<Kind, readonly string[]> = {
  tasks: ["a boolean retry_exponential_backoff", "extra links as objects"],
  taskInstances: ["execution_date", "sla_miss"],
  tries: ["no field only /api/v2 writes (dag_version, operator_name, scheduled_when, dag_display_name)"],
};
const V2_ONLY: Record<Kind, readonly string[]> = {
  tasks: [],
  taskInstances: ["id", "run_after", "logical_date", "dag_version", "scheduled_when", "operator_name", "dag_display_name"],
  tries: ["dag_version", "operator_name", "scheduled_when", "dag_display_name"],
};

/**
 * The API version a document is written in, by fields only one version has. Task instances: v2
 * writes `id`, `run_after`, `logical_date`, `dag_version`…, v1 `execution_date` and `sla_miss`;
 * one with neither is held to v2, the current API. Tries: v1's are a subset of v2's, so any v2-only
 * field makes it v2. Tasks: Airflow 2 writes `retry_exponential_backoff` as a boolean and extra
 * links as objects, Airflow 3 as a number and strings.
 */
function looksLike(kind: Kind, data: unknown): ApiVersion {
  const record = typeof data === "object" && data !== null && !Array.isArray(data) ? (data as Record<string, unknown>) : {};
  const items = record[kind === "tasks" ? "tasks" : "task_instances"];
  const all = (Array.isArray(items) ? items : []).filter((i): i is Record<string, unknown> => typeof i === "object" && i !== null);
  const has = (keys: readonly string[]) => all.some((i) => keys.some((k) => k in i));
  if (kind === "taskInstances") return has(V2_ONLY.taskInstances) ? "v2" : has(["execution_date", "sla_miss"]) ? "v1" : "v2";
  if (kind === "tries") return has(V2_ONLY.tries) ? "v2" : all.length > 0 ? "v1" : "v2";
  const airflow2 = all.some((i) => typeof i.retry_exponential_backoff === "boolean" || (Array.isArray(i.extra_links) && i.extra_links.some((l) => typeof l === "object")));
  return airflow2 ? "v1" : "v2";
}

/** A DAG's tasks, from the response of `GET /api/v2/dags/{dag_id}/tasks` (or /api/v1). */
export function parseDagExport(file: string, text: string): DagExport {
  const { version, data } = validated("tasks", file, text);
  const raw = data.tasks as { task_id?: string | null; downstream_task_ids?: string[] | null; priority_weight?: number | null }[];
  const problems: ExportProblem[] = [];
  if (raw.length === 0) problems.push({ file, path: "/tasks", expected: "at least one task" });
  const ids = new Set<string>();
  raw.forEach((task, i) => {
    if (typeof task.task_id !== "string" || task.task_id === "") problems.push({ file, path: `/tasks/${i}/task_id`, expected: "the task's id (a non-empty string)" });
    else if (ids.has(task.task_id)) problems.push({ file, path: `/tasks/${i}/task_id`, expected: `a task id not already given ("${task.task_id}" is twice in the export)` });
    else ids.add(task.task_id);
  });
  raw.forEach((task, i) => {
    (task.downstream_task_ids ?? []).forEach((id, j) => {
      if (!ids.has(id)) problems.push({ file, path: `/tasks/${i}/downstream_task_ids/${j}`, expected: `the id of a task in this export (got "${id}")` });
    });
  });
  if (problems.length > 0) throw new ExportError(problems);
  const tasks = raw.map((t): ExportedTask => {
    const delay = secondsOf((t as Record<string, unknown>).retry_delay);
    const backoff = (t as Record<string, unknown>).retry_exponential_backoff;
    return {
      taskId: String(t.task_id),
      downstream: [...(t.downstream_task_ids ?? [])],
      priorityWeight: t.priority_weight ?? 1,
      ...(delay === undefined ? {} : { retryDelaySeconds: delay }),
      ...(backoff === true || (typeof backoff === "number" && backoff > 0) ? { exponentialBackoff: true } : {}),
    };
  });
  const cycle = findCycle(tasks);
  if (cycle) throw new ExportError([{ file, path: "/tasks", expected: `a graph without cycles (downstream_task_ids loop: ${cycle.join(" → ")})` }]);
  return { file, version, tasks };
}

/** Task instances of one or more runs, from `GET /api/v2/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances` (or /api/v1). */
export function parseRunsExport(file: string, text: string): RunsExport {
  const { version, data } = validated("taskInstances", file, text);
  const raw = data.task_instances as Record<string, unknown>[];
  const instances = raw.map((ti) => ({
    dagId: String(ti.dag_id ?? ""),
    runId: String(ti.dag_run_id ?? ""),
    taskId: String(ti.task_id ?? ""),
    mapIndex: typeof ti.map_index === "number" ? ti.map_index : -1,
    state: typeof ti.state === "string" ? ti.state : null,
    durationSeconds: durationOf(ti),
    airflowPool: typeof ti.pool === "string" ? ti.pool : "default_pool",
    poolSlots: typeof ti.pool_slots === "number" ? ti.pool_slots : 1,
    priorityWeight: typeof ti.priority_weight === "number" ? ti.priority_weight : null,
    tryNumber: typeof ti.try_number === "number" ? ti.try_number : 1,
    startMs: timeOf(ti.start_date),
    endMs: timeOf(ti.end_date),
    queuedMs: timeOf(ti.queued_when),
  }));
  const problems: ExportProblem[] = [];
  if (instances.length === 0) problems.push({ file, path: "/task_instances", expected: "at least one task instance (an empty export has no run to replay: export a run that ran)" });
  instances.forEach((ti, i) => {
    if (ti.taskId === "") problems.push({ file, path: `/task_instances/${i}/task_id`, expected: "the task's id" });
    if (ti.runId === "") problems.push({ file, path: `/task_instances/${i}/dag_run_id`, expected: "the run's id" });
  });
  if (problems.length > 0) throw new ExportError(problems);
  const times = raw.flatMap((ti) => [timeOf(ti.start_date), timeOf(ti.end_date), timeOf(ti.queued_when)]).filter((t): t is number => t !== null);
  return { file, version, instances, totalEntries: typeof data.total_entries === "number" ? data.total_entries : undefined, latestMs: times.length > 0 ? Math.max(...times) : undefined };
}

function findCycle(tasks: readonly ExportedTask[]): string[] | undefined {
  const downstream = new Map(tasks.map((t) => [t.taskId, t.downstream]));
  const state = new Map<string, "visiting" | "done">();
  const stack: string[] = [];
  const visit = (id: string): string[] | undefined => {
    if (state.get(id) === "done") return undefined;
    if (state.get(id) === "visiting") return [...stack.slice(stack.indexOf(id)), id];
    state.set(id, "visiting");
    stack.push(id);
    for (const next of downstream.get(id) ?? []) {
      const found = visit(next);
      if (found) return found;
    }
    stack.pop();
    state.set(id, "done");
    return undefined;
  };
  for (const task of tasks) {
    const found = visit(task.taskId);
    if (found) return found;
  }
  return undefined;
}

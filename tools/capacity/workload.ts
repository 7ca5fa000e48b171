import type { DagExport, ExportProblem, RunsExport } from "./airflow-export";
import { ExportError } from "./airflow-export";
import type { PodRequests } from "../../sizing/node-capacity";

// One night's work from a team's exports: every task instance the runs recorded, with the node
// pool and size it runs at, its duration across the runs, and the graph that orders them.

/** Which of the runs' durations a task gets. */
export type DurationStatistic = "max" | "median";

/** Where a task runs and at what size, from the optional map file (tasks not in it: the default pool and pod). */
export interface TaskMapEntry {
  readonly pool?: string;
  /** A named size of the environment (airflow.taskSizes) or requests given inline. */
  readonly size?: string | PodRequests;
}

export interface TaskMap {
  readonly file: string;
  /** Task id, or a prefix ending in `*`, to its pool and size. Exact ids win over prefixes. */
  readonly tasks: Readonly<Record<string, TaskMapEntry>>;
}

/** One task instance to run: a task, or one mapped instance of it. */
export interface WorkUnit {
  readonly id: string;
  readonly taskId: string;
  readonly durationSeconds: number;
  readonly pool: string;
  readonly requests: PodRequests;
  readonly airflowPool: string;
  readonly poolSlots: number;
  readonly priority: number;
}

export interface WorkloadTask {
  readonly taskId: string;
  readonly upstream: readonly string[];
  readonly downstream: readonly string[];
  /** Empty when no run ran it (skipped, or added after the runs): it takes no time. */
  readonly units: readonly WorkUnit[];
}

export interface Workload {
  readonly dagId: string;
  readonly runIds: readonly string[];
  /** In the export's order. */
  readonly tasks: readonly WorkloadTask[];
  /** What the build had to assume, printed with the report. */
  readonly notes: readonly string[];
}

export interface WorkloadOptions {
  readonly durations: DurationStatistic;
  readonly defaultPool: string;
  readonly defaultRequests: PodRequests;
  /** Named sizes of the environment. */
  readonly sizes: ReadonlyMap<string, PodRequests>;
  /** The environment's task pools: a map entry naming another is refused, as the pod mutation hook would. */
  readonly pools: readonly string[];
  readonly map?: TaskMap;
}

/** States in which a task instance ran (its duration is work); the rest never launched a pod. */
const RAN = new Set(["success", "failed", "up_for_retry", "running"]);

function statistic(values: readonly number[], kind: DurationStatistic): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (kind === "max") return sorted[sorted.length - 1];
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function mapEntryFor(map: TaskMap | undefined, taskId: string): TaskMapEntry | undefined {
  if (!map) return undefined;
  if (map.tasks[taskId]) return map.tasks[taskId];
  const prefix = Object.keys(map.tasks)
    .filter((key) => key.endsWith("*") && taskId.startsWith(key.slice(0, -1)))
    .sort((a, b) => b.length - a.length)[0];
  return prefix === undefined ? undefined : map.tasks[prefix];
}

function checkMap(map: TaskMap, dag: DagExport, options: WorkloadOptions): ExportProblem[] {
  const ids = new Set(dag.tasks.map((t) => t.taskId));
  const problems: ExportProblem[] = [];
  for (const [key, entry] of Object.entries(map.tasks)) {
    const path = `/tasks/${key.replace(/~/g, "~0").replace(/\//g, "~1")}`;
    const matches = key.endsWith("*") ? [...ids].some((id) => id.startsWith(key.slice(0, -1))) : ids.has(key);
    if (!matches) problems.push({ file: map.file, path, expected: `a task id (or prefix*) of the DAG export ${dag.file}` });
    if (entry.pool !== undefined && !options.pools.includes(entry.pool)) {
      problems.push({ file: map.file, path: `${path}/pool`, expected: `one of the environment's task pools: ${options.pools.join(", ")} (the pod mutation hook refuses any other; got "${entry.pool}")` });
    }
    if (typeof entry.size === "string" && !options.sizes.has(entry.size)) {
      problems.push({ file: map.file, path: `${path}/size`, expected: `a size of airflow.taskSizes (${[...options.sizes.keys()].join(", ") || "none declared"}) or { cpuMillicores, memoryMiB } (got "${entry.size}")` });
    }
  }
  return problems;
}

/** The night to replay: the DAG's graph, each task instance's duration across the runs, its pool and size. */
export function buildWorkload(dag: DagExport, runs: readonly RunsExport[], options: WorkloadOptions): Workload {
  if (options.map) {
    const problems = checkMap(options.map, dag, options);
    if (problems.length > 0) throw new ExportError(problems);
  }
  const notes: string[] = [];
  const known = new Set(dag.tasks.map((t) => t.taskId));
  const instances = runs.flatMap((r) => r.instances);
  const dagIds = [...new Set(instances.map((ti) => ti.dagId))];
  if (dagIds.length > 1) {
    throw new ExportError(runs.map((r) => ({ file: r.file, path: "/task_instances", expected: `task instances of one DAG (the runs hold ${dagIds.join(", ")})` })));
  }
  const runIds = [...new Set(instances.map((ti) => ti.runId))];
  for (const run of runs) {
    const here = run.instances.length;
    if (run.totalEntries !== undefined && run.totalEntries > here && new Set(run.instances.map((ti) => ti.runId)).size === 1) {
      const all = instances.filter((ti) => ti.runId === run.instances[0]?.runId).length;
      if (all < run.totalEntries) notes.push(`${run.instances[0]?.runId}: ${all} of its ${run.totalEntries} task instances exported (pages missing? the API returns at most 100 per page)`);
    }
  }
  const unknownTasks = [...new Set(instances.filter((ti) => !known.has(ti.taskId)).map((ti) => ti.taskId))];
  if (unknownTasks.length > 0) notes.push(`ignored task instances of tasks not in the DAG export (removed since?): ${unknownTasks.slice(0, 5).join(", ")}${unknownTasks.length > 5 ? ", …" : ""}`);

  const byTask = new Map<string, Map<number, number[]>>();
  const weights = new Map<string, number>();
  const airflowPools = new Map<string, { pool: string; slots: number }>();
  for (const ti of instances) {
    if (!known.has(ti.taskId)) continue;
    if (ti.priorityWeight !== null) weights.set(ti.taskId, Math.max(weights.get(ti.taskId) ?? -Infinity, ti.priorityWeight));
    airflowPools.set(ti.taskId, { pool: ti.airflowPool, slots: ti.poolSlots });
    if (ti.durationSeconds === null || ti.state === null || !RAN.has(ti.state)) continue;
    const perIndex = byTask.get(ti.taskId) ?? new Map<number, number[]>();
    perIndex.set(ti.mapIndex, [...(perIndex.get(ti.mapIndex) ?? []), ti.durationSeconds]);
    byTask.set(ti.taskId, perIndex);
  }
  const neverRan = dag.tasks.filter((t) => !byTask.has(t.taskId)).map((t) => t.taskId);
  if (neverRan.length > 0) notes.push(`${neverRan.length} task${neverRan.length === 1 ? "" : "s"} ran in none of the runs (skipped, or new) and ${neverRan.length === 1 ? "takes" : "take"} no time: ${neverRan.slice(0, 5).join(", ")}${neverRan.length > 5 ? ", …" : ""}`);

  const downstreamWeights = downstreamPriorities(dag);
  const upstream = new Map<string, string[]>(dag.tasks.map((t) => [t.taskId, []]));
  for (const task of dag.tasks) for (const next of task.downstream) upstream.get(next)?.push(task.taskId);
  const tasks = dag.tasks.map((task): WorkloadTask => {
    const entry = mapEntryFor(options.map, task.taskId);
    const size = entry?.size;
    const requests = size === undefined ? options.defaultRequests : typeof size === "string" ? (options.sizes.get(size) ?? options.defaultRequests) : size;
    const pool = entry?.pool ?? options.defaultPool;
    const airflowPool = airflowPools.get(task.taskId) ?? { pool: "default_pool", slots: 1 };
    const perIndex = byTask.get(task.taskId) ?? new Map<number, number[]>();
    const units = [...perIndex.entries()]
      .sort(([a], [b]) => a - b)
      .map(([mapIndex, seconds]) => ({
        id: mapIndex >= 0 ? `${task.taskId}[${mapIndex}]` : task.taskId,
        taskId: task.taskId,
        durationSeconds: statistic(seconds, options.durations),
        pool,
        requests: { cpuMillicores: requests.cpuMillicores, memoryMiB: requests.memoryMiB },
        airflowPool: airflowPool.pool,
        poolSlots: airflowPool.slots,
        priority: weights.get(task.taskId) ?? downstreamWeights.get(task.taskId) ?? 1,
      }));
    return { taskId: task.taskId, upstream: upstream.get(task.taskId) ?? [], downstream: task.downstream, units };
  });
  return { dagId: dagIds[0] ?? "(unknown DAG)", runIds, tasks, notes };
}

/** Airflow's default weight rule, `downstream`: a task's weight plus that of everything downstream of it. */
function downstreamPriorities(dag: DagExport): Map<string, number> {
  const byId = new Map(dag.tasks.map((t) => [t.taskId, t]));
  const result = new Map<string, number>();
  for (const task of dag.tasks) {
    const seen = new Set<string>();
    const stack = [task.taskId];
    let total = 0;
    while (stack.length > 0) {
      const id = stack.pop() as string;
      if (seen.has(id)) continue;
      seen.add(id);
      const t = byId.get(id);
      if (!t) continue;
      total += t.priorityWeight;
      stack.push(...t.downstream);
    }
    result.set(task.taskId, total);
  }
  return result;
}

/** Tasks in an order where every task comes after its upstreams. */
export function topologicalOrder(tasks: readonly WorkloadTask[]): WorkloadTask[] {
  const byId = new Map(tasks.map((t) => [t.taskId, t]));
  const remaining = new Map(tasks.map((t) => [t.taskId, t.upstream.length]));
  const queue = tasks.filter((t) => t.upstream.length === 0);
  const order: WorkloadTask[] = [];
  while (queue.length > 0) {
    const task = queue.shift() as WorkloadTask;
    order.push(task);
    for (const next of task.downstream) {
      const left = (remaining.get(next) ?? 0) - 1;
      remaining.set(next, left);
      const nextTask = byId.get(next);
      if (left === 0 && nextTask) queue.push(nextTask);
    }
  }
  return order;
}

export interface CriticalPath {
  readonly seconds: number;
  readonly chain: readonly { readonly taskId: string; readonly seconds: number }[];
}

/** The longest chain of durations through the graph: no number of nodes finishes the run sooner. */
export function criticalPath(workload: Workload): CriticalPath {
  const length = (t: WorkloadTask) => Math.max(0, ...t.units.map((u) => u.durationSeconds));
  const best = new Map<string, { seconds: number; previous?: string }>();
  for (const task of topologicalOrder(workload.tasks)) {
    const from = task.upstream.map((id) => ({ id, seconds: best.get(id)?.seconds ?? 0 })).reduce<{ id?: string; seconds: number }>((a, b) => (b.seconds > a.seconds ? b : a), { seconds: 0 });
    best.set(task.taskId, { seconds: from.seconds + length(task), previous: from.id });
  }
  const [endId, end] = [...best.entries()].reduce((a, b) => (b[1].seconds > a[1].seconds ? b : a));
  const byId = new Map(workload.tasks.map((t) => [t.taskId, t]));
  const chain: { taskId: string; seconds: number }[] = [];
  for (let id: string | undefined = endId; id !== undefined; id = best.get(id)?.previous) {
    const task = byId.get(id);
    if (task) chain.unshift({ taskId: id, seconds: length(task) });
  }
  return { seconds: end.seconds, chain };
}

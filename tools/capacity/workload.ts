import type { DagExport, ExportProblem, RunsExport } from "./airflow-export";
import { ExportError } from "./airflow-export";
import type { PodRequests } from "../../sizing/node-capacity";
import { instanceKey, type TriesExport } from "./tries-export";
import { tryHistory, type FailedTry } from "./try-history";

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
  /** Tries before the final one: each runs, frees its node room and slot, and waits its retry delay. */
  readonly failedTries?: readonly FailedTry[];
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
  /** Exports of the `/tries` endpoint: the failed tries before each instance's final one. */
  readonly tries?: readonly TriesExport[];
  /** When the exports were taken (epoch ms): a running task has run since its start until then. Default: the latest time a run's export records. */
  readonly asOfMs?: number;
}

/** States in which a task instance ran (its duration is work); the rest never launched a pod. */
const RAN = new Set(["success", "failed", "up_for_retry", "running"]);

/** One run's record of a task instance: its final try and the failed tries before it. */
interface Sample {
  readonly seconds: number;
  readonly failed: readonly FailedTry[];
}

const total = (s: Sample) => s.seconds + s.failed.reduce((sum, f) => sum + f.durationSeconds + f.retryDelaySeconds, 0);

/** The run whose record the unit takes: the longest in total (max), or the middle one (median; two middles without retries are averaged). */
function statistic(samples: readonly Sample[], kind: DurationStatistic): Sample {
  const sorted = [...samples].sort((a, b) => total(a) - total(b));
  if (kind === "max") return sorted[sorted.length - 1];
  const mid = Math.floor(sorted.length / 2);
  if (sorted.length % 2 === 1) return sorted[mid];
  const [a, b] = [sorted[mid - 1], sorted[mid]];
  return a.failed.length === 0 && b.failed.length === 0 ? { seconds: (a.seconds + b.seconds) / 2, failed: [] } : b;
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
  const unrelated = runs.filter((r) => r.instances.length > 0 && r.instances.every((ti) => !known.has(ti.taskId)));
  if (unrelated.length > 0) {
    throw new ExportError(unrelated.map((r) => ({ file: r.file, path: "/task_instances", expected: `task instances of the DAG in ${dag.file} (none of this file's tasks is in it: runs of ${[...new Set(r.instances.map((ti) => ti.dagId))].join(", ")}, another DAG?)` })));
  }
  const history = tryHistory(dag, runs, options.tries ?? []);
  if (history.problems.length > 0) throw new ExportError(history.problems);
  notes.push(...history.notes);
  const latestByRun = new Map<string, number>();
  for (const run of runs) for (const ti of run.instances) latestByRun.set(ti.runId, Math.max(latestByRun.get(ti.runId) ?? -Infinity, run.latestMs ?? -Infinity));
  const running: string[] = [];
  const unknownTasks = [...new Set(instances.filter((ti) => !known.has(ti.taskId)).map((ti) => ti.taskId))];
  if (unknownTasks.length > 0) notes.push(`ignored task instances of tasks not in the DAG export (removed since?): ${unknownTasks.slice(0, 5).join(", ")}${unknownTasks.length > 5 ? ", …" : ""}`);

  const byTask = new Map<string, Map<number, Sample[]>>();
  const weights = new Map<string, number>();
  const airflowPools = new Map<string, { pool: string; slots: number }>();
  for (const ti of instances) {
    if (!known.has(ti.taskId)) continue;
    if (ti.priorityWeight !== null) weights.set(ti.taskId, Math.max(weights.get(ti.taskId) ?? -Infinity, ti.priorityWeight));
    airflowPools.set(ti.taskId, { pool: ti.airflowPool, slots: ti.poolSlots });
    let seconds = ti.durationSeconds;
    if (seconds === null && ti.state === "running" && ti.startMs !== null) {
      // Still running when exported: it has run at least this long, and counts that much.
      const asOf = options.asOfMs ?? latestByRun.get(ti.runId) ?? ti.startMs;
      seconds = Math.max(0, (asOf - ti.startMs) / 1000);
      running.push(`${ti.taskId}${ti.mapIndex >= 0 ? `[${ti.mapIndex}]` : ""} (${ti.runId}) ${Math.round(seconds / 60)} min`);
    }
    if (seconds === null || ti.state === null || !RAN.has(ti.state)) continue;
    const perIndex = byTask.get(ti.taskId) ?? new Map<number, Sample[]>();
    const failed = history.failedTries.get(instanceKey(ti.runId, ti.taskId, ti.mapIndex)) ?? [];
    perIndex.set(ti.mapIndex, [...(perIndex.get(ti.mapIndex) ?? []), { seconds, failed }]);
    byTask.set(ti.taskId, perIndex);
  }
  if (running.length > 0) {
    const asOf = options.asOfMs === undefined ? "the latest time its run's export records" : new Date(options.asOfMs).toISOString();
    notes.push(`${running.length} task instance${running.length === 1 ? " was" : "s were"} still running when exported and count${running.length === 1 ? "s" : ""} the time run so far (from start_date until ${asOf}; the full run takes longer): ${running.slice(0, 3).join(", ")}${running.length > 3 ? ", …" : ""}`);
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
    const perIndex = byTask.get(task.taskId) ?? new Map<number, Sample[]>();
    const units = [...perIndex.entries()]
      .sort(([a], [b]) => a - b)
      .map(([mapIndex, samples]): WorkUnit => {
        const chosen = statistic(samples, options.durations);
        return {
          id: mapIndex >= 0 ? `${task.taskId}[${mapIndex}]` : task.taskId,
          taskId: task.taskId,
          durationSeconds: chosen.seconds,
          ...(chosen.failed.length > 0 ? { failedTries: chosen.failed } : {}),
          pool,
          requests: { cpuMillicores: requests.cpuMillicores, memoryMiB: requests.memoryMiB },
          airflowPool: airflowPool.pool,
          poolSlots: airflowPool.slots,
          priority: weights.get(task.taskId) ?? downstreamWeights.get(task.taskId) ?? 1,
        };
      });
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
  const length = (t: WorkloadTask) => Math.max(0, ...t.units.map((u) => u.durationSeconds + (u.failedTries ?? []).reduce((sum, f) => sum + f.durationSeconds + f.retryDelaySeconds, 0)));
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

import type { TaskRoom } from "../../sizing/pool-fit";
import type { Workload, WorkUnit } from "./workload";
import { candidateNode, chooseNode, type Placement, type Resources } from "./scheduler-scoring";

// A replay of one night on a cluster that scales: Airflow queues a task instance when its upstreams
// are done and its limits allow (parallelism, max active tasks, Airflow pool slots); the
// KubernetesExecutor's pod then waits until a node of its pool has room (kube-scheduler's default
// scoring picks among them, scheduler-scoring.ts: with the task pod affinity it packs); every scan
// the Cluster Autoscaler adds the nodes the pending pods need, which join after a boot-and-pull
// time, and removes nodes that have been empty for the unneeded time (task pods are never
// evictable, so only empty nodes go), never within the delay after a scale-up, never in the scan
// that asked for them and never below the pool's minimum. A failed try frees its node room and its
// slot, waits its retry delay, and runs again.

export interface ReplayPool {
  readonly name: string;
  /** Room for tasks on one node (allocatable less daemonsets). */
  readonly room: TaskRoom;
  readonly minNodes: number;
  readonly maxNodes: number;
  /** What the daemonsets request on every node, for kube-scheduler's scores (allocatable is room + this). @default none */
  readonly daemonsets?: Resources;
}

export interface ReplaySettings {
  /** Task instances queued or running at once, platform-wide. */
  readonly parallelism: number;
  /** Task instances of the DAG run queued or running at once (`max_active_tasks`). */
  readonly maxActiveTasks: number;
  /** Slots per Airflow pool; pools not listed are unlimited. */
  readonly airflowPoolSlots: ReadonlyMap<string, number>;
  /** From the autoscaler's scan that asks for a node until a pod can start on it. */
  readonly nodeJoinSeconds: number;
  /** From a pod's binding to its task running (container start, Airflow's task runner). */
  readonly podStartSeconds: number;
  readonly scanIntervalSeconds: number;
  readonly scaleDownUnneededSeconds: number;
  readonly scaleDownDelayAfterAddSeconds: number;
  /**
   * Airflow's `[scheduler] task_queued_timeout`: a task instance queued longer (its pod Pending) is
   * revoked and requeued, and failed the third time. The replay counts them; it does not requeue.
   */
  readonly taskQueuedTimeoutSeconds: number;
  /**
   * How kube-scheduler's default scoring picks among the nodes with room: `least-allocated`, task
   * pods without an affinity (spreads); `pack`, task pods with the preferred pod affinity to other
   * task pods on the node that the release ships (shipped-placement.ts).
   * @default "least-allocated"
   */
  readonly placement?: Placement;
  /** Give up after this long without finishing. @default 7 days */
  readonly horizonSeconds?: number;
}

export interface PoolUsage {
  readonly peakNodes: number;
  /** Node-seconds from the start until the last node above the minimum is gone. */
  readonly nodeSeconds: number;
  /** Nodes left when the replay ends: the pool's minimum once everything is done. */
  readonly nodesAtEnd: number;
}

export interface ReplayResult {
  /** Seconds from the start of the run until its last task ends; undefined if it never ends. */
  readonly finishSeconds: number | undefined;
  /** Pods that never found room: the pool's nodes are too small for them. */
  readonly stuck: readonly { readonly unitId: string; readonly pool: string }[];
  /** Until every pool is back at its minimum (or the run gave up). */
  readonly windowSeconds: number;
  readonly pools: ReadonlyMap<string, PoolUsage>;
  /** The most CPU and memory running task pods requested at once. */
  readonly peakRequests: { readonly cpuMillicores: number; readonly memoryMiB: number };
  /** Task-seconds spent queued in Airflow with no slot, and with a pod waiting for a node. */
  readonly waitedForSlotsSeconds: number;
  readonly waitedForNodesSeconds: number;
  /** The longest a task instance stayed queued (from Airflow queueing it until its task runs). */
  readonly longestQueuedSeconds: number;
  /** Task instances queued longer than the timeout: Airflow would have revoked and requeued them. */
  readonly queuedPastTimeout: readonly string[];
}

interface Node {
  readonly pool: ReplayPool;
  readonly requestedAt: number;
  readonly readyAt: number;
  removedAt?: number;
  cpu: number;
  memory: number;
  pods: number;
  emptySince: number;
}

interface Pod {
  readonly unit: WorkUnit;
  /** 0 for the first try; the final try is `failedTries.length`. */
  readonly attempt: number;
  readonly queuedAt: number;
  node?: Node;
  doneAt?: number;
}

const fits = (node: Node, unit: WorkUnit) => node.cpu + unit.requests.cpuMillicores <= node.pool.room.cpuMillicores && node.memory + unit.requests.memoryMiB <= node.pool.room.memoryMiB && node.pods < node.pool.room.pods;
const fitsEmpty = (pool: ReplayPool, unit: WorkUnit) => unit.requests.cpuMillicores <= pool.room.cpuMillicores && unit.requests.memoryMiB <= pool.room.memoryMiB && pool.room.pods >= 1;
export function replay(workload: Workload, pools: readonly ReplayPool[], settings: ReplaySettings): ReplayResult {
  const poolByName = new Map(pools.map((p) => [p.name, p]));
  for (const unit of workload.tasks.flatMap((t) => t.units)) {
    if (!poolByName.has(unit.pool)) throw new Error(`replay: ${unit.id} runs on pool "${unit.pool}", which is not among ${pools.map((p) => p.name).join(", ")}`);
  }
  const nodes: Node[] = pools.flatMap((pool) => Array.from({ length: pool.minNodes }, (): Node => ({ pool, requestedAt: 0, readyAt: 0, cpu: 0, memory: 0, pods: 0, emptySince: 0 })));
  const upstreamLeft = new Map(workload.tasks.map((t) => [t.taskId, t.upstream.length]));
  const unitsLeft = new Map(workload.tasks.map((t) => [t.taskId, t.units.length]));
  const byTask = new Map(workload.tasks.map((t) => [t.taskId, t]));
  const ready: { unit: WorkUnit; attempt: number; since: number; order: number }[] = [];
  /** Failed tries waiting out their retry delay (up_for_retry holds no slot and no node room). */
  const retrying: { unit: WorkUnit; attempt: number; at: number }[] = [];
  const pending: Pod[] = [];
  const running: Pod[] = [];
  const slotsUsed = new Map<string, number>();
  const stuck = new Map<string, string>();
  let active = 0;
  let tasksLeft = workload.tasks.length;
  let finish: number | undefined;
  let lastScaleUp = -Infinity;
  let peakCpu = 0;
  let peakMemory = 0;
  let waitedForSlots = 0;
  let waitedForNodes = 0;
  let longestQueued = 0;
  const queuedPastTimeout: string[] = [];
  let order = 0;
  const horizon = settings.horizonSeconds ?? 7 * 86400;

  const taskDone = (taskId: string, t: number) => {
    tasksLeft -= 1;
    if (tasksLeft === 0) finish = t;
    for (const next of byTask.get(taskId)?.downstream ?? []) {
      const left = (upstreamLeft.get(next) ?? 0) - 1;
      upstreamLeft.set(next, left);
      if (left === 0) release(next, t);
    }
  };
  // A task whose upstreams are done: its instances become ready; one that never ran is done at once.
  const release = (taskId: string, t: number) => {
    const task = byTask.get(taskId);
    if (!task) return;
    if (task.units.length === 0) taskDone(taskId, t);
    for (const unit of task.units) ready.push({ unit, attempt: 0, since: t, order: order++ });
  };
  for (const task of workload.tasks) if (task.upstream.length === 0) release(task.taskId, 0);

  const admit = (t: number) => {
    ready.sort((a, b) => b.unit.priority - a.unit.priority || a.order - b.order);
    for (let i = 0; i < ready.length && active < Math.min(settings.parallelism, settings.maxActiveTasks); ) {
      const { unit, attempt, since } = ready[i];
      const slots = settings.airflowPoolSlots.get(unit.airflowPool) ?? Infinity;
      if ((slotsUsed.get(unit.airflowPool) ?? 0) + unit.poolSlots > slots) {
        i += 1;
        continue;
      }
      ready.splice(i, 1);
      slotsUsed.set(unit.airflowPool, (slotsUsed.get(unit.airflowPool) ?? 0) + unit.poolSlots);
      active += 1;
      waitedForSlots += t - since;
      pending.push({ unit, attempt, queuedAt: t });
    }
  };

  const place = (t: number) => {
    for (let i = 0; i < pending.length; ) {
      const pod = pending[i];
      const candidates = nodes.filter((n) => n.removedAt === undefined && n.readyAt <= t && n.pool.name === pod.unit.pool && fits(n, pod.unit));
      if (candidates.length === 0) {
        i += 1;
        continue;
      }
      const node = candidates[chooseNode(candidates.map((n) => candidateNode(n.pool.room, n.pool.daemonsets, { cpuMillicores: n.cpu, memoryMiB: n.memory, pods: n.pods })), pod.unit.requests, settings.placement ?? "least-allocated")];
      node.cpu += pod.unit.requests.cpuMillicores;
      node.memory += pod.unit.requests.memoryMiB;
      node.pods += 1;
      pod.node = node;
      const failed = pod.unit.failedTries ?? [];
      pod.doneAt = t + settings.podStartSeconds + (pod.attempt < failed.length ? failed[pod.attempt].durationSeconds : pod.unit.durationSeconds);
      waitedForNodes += t - pod.queuedAt;
      const queued = t + settings.podStartSeconds - pod.queuedAt;
      longestQueued = Math.max(longestQueued, queued);
      if (queued > settings.taskQueuedTimeoutSeconds) queuedPastTimeout.push(pod.unit.id);
      pending.splice(i, 1);
      running.push(pod);
    }
    const cpu = running.reduce((sum, p) => sum + p.unit.requests.cpuMillicores, 0);
    const memory = running.reduce((sum, p) => sum + p.unit.requests.memoryMiB, 0);
    peakCpu = Math.max(peakCpu, cpu);
    peakMemory = Math.max(peakMemory, memory);
  };

  const complete = (t: number) => {
    for (let i = running.length - 1; i >= 0; i--) {
      const pod = running[i];
      if ((pod.doneAt ?? Infinity) > t) continue;
      running.splice(i, 1);
      const node = pod.node as Node;
      node.cpu -= pod.unit.requests.cpuMillicores;
      node.memory -= pod.unit.requests.memoryMiB;
      node.pods -= 1;
      if (node.pods === 0) node.emptySince = t;
      active -= 1;
      slotsUsed.set(pod.unit.airflowPool, (slotsUsed.get(pod.unit.airflowPool) ?? 0) - pod.unit.poolSlots);
      const failed = pod.unit.failedTries ?? [];
      if (pod.attempt < failed.length) {
        retrying.push({ unit: pod.unit, attempt: pod.attempt + 1, at: t + failed[pod.attempt].retryDelaySeconds });
        continue;
      }
      const left = (unitsLeft.get(pod.unit.taskId) ?? 1) - 1;
      unitsLeft.set(pod.unit.taskId, left);
      if (left === 0) taskDone(pod.unit.taskId, t);
    }
  };

  const scan = (t: number) => {
    for (const pool of pools) {
      const live = nodes.filter((n) => n.pool === pool && n.removedAt === undefined);
      // Pending pods first fill nodes already on their way, then as few new nodes as hold the rest.
      const bins = live.filter((n) => n.readyAt > t).map((n) => ({ cpu: n.cpu, memory: n.memory, pods: n.pods }));
      const upcoming = bins.length;
      for (const pod of pending.filter((p) => p.unit.pool === pool.name)) {
        if (!fitsEmpty(pool, pod.unit)) {
          stuck.set(pod.unit.id, pool.name);
          continue;
        }
        const bin = bins.find((b) => b.cpu + pod.unit.requests.cpuMillicores <= pool.room.cpuMillicores && b.memory + pod.unit.requests.memoryMiB <= pool.room.memoryMiB && b.pods < pool.room.pods);
        const target = bin ?? (bins.push({ cpu: 0, memory: 0, pods: 0 }), bins[bins.length - 1]);
        target.cpu += pod.unit.requests.cpuMillicores;
        target.memory += pod.unit.requests.memoryMiB;
        target.pods += 1;
      }
      const wanted = Math.min(bins.length - upcoming, pool.maxNodes - live.length);
      for (let i = 0; i < wanted; i++) nodes.push({ pool, requestedAt: t, readyAt: t + settings.nodeJoinSeconds, cpu: 0, memory: 0, pods: 0, emptySince: t + settings.nodeJoinSeconds });
      if (wanted > 0) lastScaleUp = t;
    }
    if (t - lastScaleUp < settings.scaleDownDelayAfterAddSeconds) return;
    for (const pool of pools) {
      const live = nodes.filter((n) => n.pool === pool && n.removedAt === undefined);
      const removable = live.filter((n) => n.requestedAt < t && n.readyAt <= t && n.pods === 0 && t - n.emptySince >= settings.scaleDownUnneededSeconds).sort((a, b) => a.emptySince - b.emptySince);
      for (const node of removable.slice(0, Math.max(0, live.length - pool.minNodes))) node.removedAt = t;
    }
  };

  const atMinimum = () => pools.every((pool) => nodes.filter((n) => n.pool === pool && n.removedAt === undefined).length <= pool.minNodes);
  let t = 0;
  let nextScan = 0;
  const retryDue = (t: number) => {
    for (let i = retrying.length - 1; i >= 0; i--) {
      if (retrying[i].at > t) continue;
      const [due] = retrying.splice(i, 1);
      ready.push({ unit: due.unit, attempt: due.attempt, since: t, order: order++ });
    }
  };
  for (;;) {
    complete(t);
    retryDue(t);
    admit(t);
    place(t);
    if (t >= nextScan) {
      scan(t);
      place(t);
      nextScan = t + settings.scanIntervalSeconds;
      const nothingMoves = running.length === 0 && retrying.length === 0 && nodes.every((n) => n.removedAt !== undefined || n.readyAt <= t) && pending.length > 0;
      if ((finish !== undefined && atMinimum()) || nothingMoves || t >= horizon) break;
    }
    const nextDone = Math.min(...running.map((p) => p.doneAt ?? Infinity));
    const nextJoin = Math.min(...nodes.filter((n) => n.readyAt > t).map((n) => n.readyAt));
    const nextRetry = Math.min(...retrying.map((r) => r.at));
    t = Math.min(nextDone, nextJoin, nextScan, nextRetry);
  }
  const window = t;
  const usage = new Map<string, PoolUsage>();
  for (const pool of pools) {
    const mine = nodes.filter((n) => n.pool === pool);
    const times = [...new Set(mine.flatMap((n) => [n.requestedAt, n.removedAt ?? window]))];
    const peakNodes = Math.max(pool.minNodes, ...times.map((at) => mine.filter((n) => n.requestedAt <= at && (n.removedAt ?? Infinity) > at).length));
    const nodeSeconds = mine.reduce((sum, n) => sum + (n.removedAt ?? window) - n.requestedAt, 0);
    usage.set(pool.name, { peakNodes, nodeSeconds, nodesAtEnd: mine.filter((n) => n.removedAt === undefined).length });
  }
  for (const pod of pending) if (!fitsEmpty(poolByName.get(pod.unit.pool) as ReplayPool, pod.unit)) stuck.set(pod.unit.id, pod.unit.pool);
  return {
    finishSeconds: finish,
    stuck: [...stuck.entries()].map(([unitId, pool]) => ({ unitId, pool })),
    windowSeconds: window,
    pools: usage,
    peakRequests: { cpuMillicores: peakCpu, memoryMiB: peakMemory },
    waitedForSlotsSeconds: waitedForSlots,
    waitedForNodesSeconds: waitedForNodes,
    longestQueuedSeconds: longestQueued,
    queuedPastTimeout,
  };
}

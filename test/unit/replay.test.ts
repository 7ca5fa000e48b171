import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { replay, type ReplayPool, type ReplaySettings } from "../../tools/capacity/replay";
import { criticalPath, type Workload, type WorkloadTask } from "../../tools/capacity/workload";

// DAGs whose replay can be worked out by hand. Nodes join 200 s after the scan that asks for them,
// the autoscaler scans every 10 s, removes a node empty for 900 s, never within 600 s of a scale-up.

const SETTINGS: ReplaySettings = {
  parallelism: 1000,
  maxActiveTasks: 1000,
  airflowPoolSlots: new Map(),
  nodeJoinSeconds: 200,
  podStartSeconds: 0,
  scanIntervalSeconds: 10,
  scaleDownUnneededSeconds: 900,
  scaleDownDelayAfterAddSeconds: 600,
  taskQueuedTimeoutSeconds: 600,
};
/** An m6i.2xlarge's room for tasks: 7610m CPU, 31135 MiB, 54 pods. */
const room = { cpuMillicores: 7610, memoryMiB: 31135, pods: 54 };
const tasksPool = (minNodes: number, maxNodes = 10): ReplayPool => ({ name: "tasks", room, minNodes, maxNodes });
const memoryPool: ReplayPool = { name: "memory", room: { cpuMillicores: 7610, memoryMiB: 63903, pods: 54 }, minNodes: 0, maxNodes: 2 };

interface Spec {
  readonly seconds: number | readonly number[];
  readonly after?: readonly string[];
  readonly cpu?: number;
  readonly memoryMiB?: number;
  readonly pool?: string;
}

/** A workload from `{ id: { seconds, after } }`; an array of seconds is a mapped task. */
function workload(specs: Record<string, Spec>): Workload {
  const ids = Object.keys(specs);
  const tasks = ids.map((taskId): WorkloadTask => {
    const spec = specs[taskId];
    const durations = typeof spec.seconds === "number" ? [spec.seconds] : spec.seconds;
    return {
      taskId,
      upstream: spec.after ?? [],
      downstream: ids.filter((other) => (specs[other].after ?? []).includes(taskId)),
      units: durations.map((durationSeconds, i) => ({
        id: durations.length > 1 ? `${taskId}[${i}]` : taskId,
        taskId,
        durationSeconds,
        pool: spec.pool ?? "tasks",
        requests: { cpuMillicores: spec.cpu ?? 1000, memoryMiB: spec.memoryMiB ?? 2048 },
        airflowPool: "default_pool",
        poolSlots: 1,
        priority: 1,
      })),
    };
  });
  return { dagId: "test", runIds: ["r"], tasks, notes: [] };
}

const chain = workload({ a: { seconds: 60 }, b: { seconds: 120, after: ["a"] }, c: { seconds: 180, after: ["b"] } });

describe("the replay, on DAGs whose answers are known by hand", () => {
  it("runs a chain back to back on a node that is already there", () => {
    const result = replay(chain, [tasksPool(1)], SETTINGS);
    assert.equal(result.finishSeconds, 360);
    assert.deepEqual(result.pools.get("tasks"), { peakNodes: 1, nodeSeconds: 360, nodesAtEnd: 1 });
    assert.deepEqual(criticalPath(chain), { seconds: 360, chain: [{ taskId: "a", seconds: 60 }, { taskId: "b", seconds: 120 }, { taskId: "c", seconds: 180 }] });
  });

  it("waits for a node to join when the pool starts from zero, and keeps it the unneeded time", () => {
    const result = replay(chain, [tasksPool(0)], SETTINGS);
    // Asked for at 0, joins at 200; a 200–260, b –380, c –560; empty 900 s more: removed at 1460.
    assert.equal(result.finishSeconds, 560);
    assert.equal(result.windowSeconds, 1460);
    assert.deepEqual(result.pools.get("tasks"), { peakNodes: 1, nodeSeconds: 1460, nodesAtEnd: 0 });
    assert.equal(result.waitedForNodesSeconds, 200);
  });

  it("removes no node within the delay after a scale-up", () => {
    // With no unneeded time, the node empty at 560 still stays until 600, 10 minutes after it was asked for.
    const result = replay(chain, [tasksPool(0)], { ...SETTINGS, scaleDownUnneededSeconds: 0 });
    assert.equal(result.finishSeconds, 560);
    assert.equal(result.windowSeconds, 600);
  });

  it("adds the nodes a fan-out wider than one node needs, in one scan", () => {
    const children = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`child${i}`, { seconds: 600, after: ["root"], cpu: 2000 }]));
    const fanOut = workload({ root: { seconds: 60 }, ...children });
    const result = replay(fanOut, [tasksPool(1)], SETTINGS);
    // Three 2-CPU pods fit a node: three on the one there at 60 (done at 660), seven wait for
    // three more nodes asked for at 60, joining at 260 (done at 860).
    assert.equal(result.finishSeconds, 860);
    assert.equal(result.pools.get("tasks")?.peakNodes, 4);
    // The first node is empty from 660 and goes at 1560; two of the new ones, empty from 860, go at
    // 1760, and the third stays as the pool's minimum.
    assert.equal(result.windowSeconds, 1760);
    assert.equal(result.pools.get("tasks")?.nodeSeconds, 1560 + 3 * (1760 - 60));
    assert.equal(result.pools.get("tasks")?.nodesAtEnd, 1, "never below the pool's minimum");
    assert.deepEqual(result.peakRequests, { cpuMillicores: 2000 * 10, memoryMiB: 2048 * 10 });
  });

  it("never finishes a task bigger than its pool's nodes, and says which", () => {
    const big = workload({ a: { seconds: 60 }, huge: { seconds: 600, after: ["a"], memoryMiB: 40960 }, z: { seconds: 60, after: ["huge"] } });
    const result = replay(big, [tasksPool(1), memoryPool], SETTINGS);
    assert.equal(result.finishSeconds, undefined);
    assert.deepEqual(result.stuck, [{ unitId: "huge", pool: "tasks" }]);
    const moved = workload({ a: { seconds: 60 }, huge: { seconds: 600, after: ["a"], memoryMiB: 40960, pool: "memory" }, z: { seconds: 60, after: ["huge"] } });
    const onMemory = replay(moved, [tasksPool(1), memoryPool], SETTINGS);
    // Memory node asked for at 60, joins at 260, huge runs to 860, z to 920.
    assert.equal(onMemory.finishSeconds, 920);
    assert.equal(onMemory.pools.get("memory")?.peakNodes, 1);
  });

  it("runs two at a time on a pool at its maximum, and counts the tasks queued past Airflow's timeout", () => {
    const wide = workload(Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`t${i}`, { seconds: 600, cpu: 7000 }])));
    const result = replay(wide, [tasksPool(0, 2)], SETTINGS);
    // Two nodes join at 200; five waves of two, 600 s each.
    assert.equal(result.finishSeconds, 200 + 5 * 600);
    assert.equal(result.pools.get("tasks")?.peakNodes, 2);
    assert.equal(result.longestQueuedSeconds, 200 + 4 * 600);
    assert.equal(result.queuedPastTimeout.length, 8, "all but the first two waited over 600 s");
  });

  it("holds a fan-out to Airflow's max active tasks", () => {
    const four = workload({ a: { seconds: 100 }, b: { seconds: 100 }, c: { seconds: 100 }, d: { seconds: 100 } });
    const result = replay(four, [tasksPool(1)], { ...SETTINGS, maxActiveTasks: 2 });
    assert.equal(result.finishSeconds, 200);
    assert.equal(result.waitedForSlotsSeconds, 2 * 100);
  });

  it("waits for every mapped instance, and passes over tasks that never ran", () => {
    const mapped = workload({ split: { seconds: [100, 300, 200] }, skipped: { seconds: [], after: ["split"] }, merge: { seconds: 50, after: ["skipped"] } });
    const result = replay(mapped, [tasksPool(1)], SETTINGS);
    assert.equal(result.finishSeconds, 350);
    assert.equal(criticalPath(mapped).seconds, 350);
  });
});

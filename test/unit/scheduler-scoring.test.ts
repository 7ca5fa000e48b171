import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { balancedAllocationScore, chooseNode, interPodAffinityScores, leastAllocatedScore, type CandidateNode } from "../../tools/capacity/scheduler-scoring";
import { replay, type ReplaySettings } from "../../tools/capacity/replay";
import type { Workload, WorkUnit } from "../../tools/capacity/workload";

// kube-scheduler's scoring as the replay models it, against what kube-scheduler itself gives: the
// expected scores of kubernetes/kubernetes' own plugin tests (least_allocated_test.go,
// balanced_allocation_test.go under pkg/scheduler/framework/plugins/noderesources), then the
// choices that tell the real scoring from "the node with the most pods".

const node = (cpu: number, memory: number, usedCpu: number, usedMemory: number, taskPods = 0): CandidateNode => ({
  allocatable: { cpuMillicores: cpu, memoryMiB: memory },
  requested: { cpuMillicores: usedCpu, memoryMiB: usedMemory },
  taskPods,
});
const pod = (cpu: number, memory: number) => ({ cpuMillicores: cpu, memoryMiB: memory });

describe("kube-scheduler's score plugins, against kubernetes' own expected scores", () => {
  it("NodeResourcesFit LeastAllocated", () => {
    // "resources requested, pods scheduled with resources, differently sized nodes": 57 and 60.
    assert.deepEqual([leastAllocatedScore(node(10000, 20000, 3000, 0), pod(3000, 5000)), leastAllocatedScore(node(10000, 50000, 3000, 5000), pod(3000, 5000))], [57, 60]);
    // "requested resources exceed node capacity": CPU scores 0, memory still counts: 50 and 25.
    assert.deepEqual([leastAllocatedScore(node(4000, 10000, 3000, 0), pod(3000, 0)), leastAllocatedScore(node(4000, 10000, 3000, 5000), pod(3000, 0))], [50, 25]);
  });

  it("NodeResourcesBalancedAllocation", () => {
    // "resources requested, pods scheduled with resources": 82 and 95.
    assert.deepEqual([balancedAllocationScore(node(10000, 20000, 3000, 0), pod(3000, 5000)), balancedAllocationScore(node(10000, 20000, 3000, 5000), pod(3000, 5000))], [82, 95]);
    // "nothing scheduled, resources requested, differently sized nodes": 87 and 100.
    assert.deepEqual([balancedAllocationScore(node(4000, 10000, 0, 0), pod(3000, 5000)), balancedAllocationScore(node(6000, 10000, 0, 0), pod(3000, 5000))], [87, 100]);
  });

  it("InterPodAffinity normalizes between the feasible nodes' fewest and most, and gives nothing when they are equal", () => {
    assert.deepEqual(interPodAffinityScores([3, 1, 0]), [100, 33, 0]);
    assert.deepEqual(interPodAffinityScores([4, 2, 2]), [100, 0, 0]);
    assert.deepEqual(interPodAffinityScores([2, 2]), [0, 0]);
  });
});

describe("the node a task pod goes to", () => {
  const task = pod(1000, 2048);
  it("with the affinity: the node with more task pods, though the other has far more room", () => {
    // Node 0: two big pods (6 vCPU); node 1: one small pod. LeastAllocated and BalancedAllocation
    // favour node 1 by 55 points; the affinity's 2 × 100 outweighs them.
    const nodes = [node(8000, 32768, 6000, 4096, 2), node(8000, 32768, 500, 1024, 1)];
    assert.equal(chooseNode(nodes, task, "pack"), 0);
    assert.equal(chooseNode(nodes, task, "least-allocated"), 1);
  });

  it("with the affinity and equal task pods: the emptier node, as LeastAllocated decides (not the fuller one)", () => {
    const nodes = [node(8000, 32768, 4000, 8192, 1), node(8000, 32768, 1000, 2048, 1)];
    assert.equal(chooseNode(nodes, task, "pack"), 1);
  });
});

describe("the replay places pods with that scoring", () => {
  const SETTINGS: ReplaySettings = {
    parallelism: 64, maxActiveTasks: 64, airflowPoolSlots: new Map(), nodeJoinSeconds: 0, podStartSeconds: 0, scanIntervalSeconds: 10,
    scaleDownUnneededSeconds: 60, scaleDownDelayAfterAddSeconds: 0, taskQueuedTimeoutSeconds: Infinity, placement: "pack",
  };
  const unit = (id: string, seconds: number, cpu: number): WorkUnit => ({ id, taskId: id, durationSeconds: seconds, pool: "tasks", requests: { cpuMillicores: cpu, memoryMiB: 1024 }, airflowPool: "default_pool", poolSlots: 1, priority: 1 });

  it("a pod released when two nodes each run one task pod goes to the emptier, which then holds the night's long task", () => {
    // Nodes of 4 vCPU. `big` (3.6 vCPU, 10 min) and `small` (0.5 vCPU, 2 h) cannot share one, so
    // the autoscaler adds two; `gate` (0.1 vCPU, 5 min) joins small, the emptier of two nodes with
    // one task pod each. At 5 min `late` (0.3 vCPU, 2 h) fits beside either, each running one task
    // pod: the scoring sends it to small's node, so big's node empties at 10 min and goes. Were
    // ties sent to the fuller node, late would sit beside big and keep both nodes up for 2 h.
    const room = { cpuMillicores: 4000, memoryMiB: 16384, pods: 50 };
    const big = unit("big", 600, 3600);
    const small = unit("small", 7200, 500);
    const late = unit("late", 7200, 300);
    const gate = unit("gate", 300, 100);
    const work: Workload = {
      dagId: "d", runIds: ["r"], notes: [],
      tasks: [
        { taskId: "big", upstream: [], downstream: [], units: [big] },
        { taskId: "small", upstream: [], downstream: [], units: [small] },
        { taskId: "gate", upstream: [], downstream: ["late"], units: [gate] },
        { taskId: "late", upstream: ["gate"], downstream: [], units: [late] },
      ],
    };
    const result = replay(work, [{ name: "tasks", room, minNodes: 0, maxNodes: 2 }], { ...SETTINGS, horizonSeconds: 86400 });
    const hours = (result.pools.get("tasks")?.nodeSeconds ?? 0) / 3600;
    // One node for 2h06 (small, then late to 5 min + 2 h), the other until big is done and it has been empty a minute.
    assert.ok(hours < 2.5, `billed ${hours.toFixed(2)} node-hours`);
  });
});

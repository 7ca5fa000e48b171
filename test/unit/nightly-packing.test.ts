import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { clusterAutoscalerValues } from "../../constructs/autoscaler/cluster-autoscaler-release";
import { replay, type ReplaySettings } from "../../tools/capacity/replay";
import { poolUtilisation } from "../../tools/capacity/utilisation";
import type { Workload, WorkUnit } from "../../tools/capacity/workload";
import { goDurationSeconds, numberDefaults } from "../../tools/capacity/capacity-arguments";
import { validateEnvironments } from "../../environments";
import { percentile } from "../../tools/capacity/nightly-percentiles";
import { runCapacityCommand } from "../../tools/capacity/capacity-command";
import { shippedWith } from "../support/environments";
import { instancesResponse, runId, tasksResponse, writeExports } from "../support/nightly-exports";
import { tempDir } from "../support/temp";
import { parse } from "yaml";
import { airflowValuesFor } from "../../configuration/derived/airflow-values";
import { placementOf, shippedPlacement, type PodAffinitySpec } from "../../tools/capacity/shipped-placement";

// The autoscaler settings the replay assumes are the ones the release renders (one source), the
// utilisation arithmetic on a hand-computed night, why a pool maximum packs under kube-scheduler's
// spreading, and several nights as percentiles.

const [env] = validateEnvironments([
  shippedWith("dev", { name: "packfix", nodeGroups: { tasks: { instanceTypes: ["m6i.2xlarge"], minSize: 0, maxSize: 4, desiredSize: 0 }, taskPools: { memory: { instanceTypes: ["r6i.2xlarge"], minSize: 0, maxSize: 1 } } } }),
]);

describe("capacity: the release runs what the replay assumes", () => {
  it("reads scan interval, scale-down delay after add and unneeded time from the rendered chart values", () => {
    const values = clusterAutoscalerValues({ clusterName: "c", region: "eu-west-1", kubernetesVersion: env.cluster.version, roleArn: "arn:aws:iam::111111111111:role/ca" });
    const args = values.extraArgs as Record<string, string>;
    const defaults = numberDefaults(env);
    assert.equal(defaults["--scan-interval-seconds"].value, goDurationSeconds(args["scan-interval"]));
    assert.equal(defaults["--scale-down-delay-after-add-minutes"].value * 60, goDurationSeconds(args["scale-down-delay-after-add"]));
    assert.equal(defaults["--scale-down-unneeded-minutes"].value * 60, goDurationSeconds(args["scale-down-unneeded-time"]));
    // The packing choice itself: nodes go within minutes of emptying, not after a burst.
    assert.ok(goDurationSeconds(args["scale-down-delay-after-add"]) <= 120 && goDurationSeconds(args["scale-down-unneeded-time"]) <= 300);
  });

  it("assumes the placement the release's task pods have: the rendered pod template's affinity (pack), least-allocated only when asked", () => {
    const template = parse(String(airflowValuesFor(env).podTemplate)) as { spec: { affinity?: PodAffinitySpec } };
    // The executor labels each pod with its DAG (test/helm/task-pods.test.ts checks it on the pods Airflow builds).
    const released = placementOf(template.spec.affinity, { dag_id: "nightly" });
    assert.equal(released, "pack");
    assert.equal(shippedPlacement(), released);
    const files = writeExports(tempDir("nightly-placement"), { "tasks.json": tasksResponse([{ id: "work" }]), "runs.json": instancesResponse([{ task: "work", start: 0, end: 600 }]) });
    const run = (...extra: string[]) => runCapacityCommand(["packfix", "--dag", files["tasks.json"], "--runs", files["runs.json"], ...extra], [env]).stdout;
    assert.match(run(), /^ {4}--placement +pack +task pods carry a preferred pod affinity .*\(the release's\)$/m);
    assert.match(run("--placement", "least-allocated"), /^ {4}--placement +least-allocated +.*\(not the release's; given\)$/m);
  });
});

const SETTINGS: ReplaySettings = {
  parallelism: 64, maxActiveTasks: 64, airflowPoolSlots: new Map(), nodeJoinSeconds: 0, podStartSeconds: 0, scanIntervalSeconds: 10,
  scaleDownUnneededSeconds: 60, scaleDownDelayAfterAddSeconds: 0, taskQueuedTimeoutSeconds: Infinity,
};
const ROOM = { cpuMillicores: 4000, memoryMiB: 16384, pods: 50 };
const unit = (id: string, seconds: number, cpu = 1000): WorkUnit => ({ id, taskId: id, durationSeconds: seconds, pool: "tasks", requests: { cpuMillicores: cpu, memoryMiB: 1024 }, airflowPool: "default_pool", poolSlots: 1, priority: 1 });
const independent = (units: WorkUnit[]): Workload => ({ dagId: "d", runIds: ["r"], notes: [], tasks: units.map((u) => ({ taskId: u.taskId, upstream: [], downstream: [], units: [u] })) });

describe("capacity: requested work against billed node-hours", () => {
  it("computes the work floor and utilisation of a hand-computed night", () => {
    // Four one-hour tasks at 1 vCPU on nodes with 4 vCPU of room: one node-hour of floor.
    const work = independent(["a", "b", "c", "d"].map((id) => unit(id, 3600)));
    const result = replay(work, [{ name: "tasks", room: ROOM, minNodes: 0, maxNodes: 4 }], SETTINGS);
    const u = poolUtilisation(work, { name: "tasks", room: ROOM, vcpu: 4 }, result.pools.get("tasks")?.nodeSeconds ?? 0, 0);
    assert.equal(u.requestedVcpuHours, 4);
    assert.equal(u.floorNodeHours, 1);
    // One node, asked for at 0 and gone after the tasks end and it has been empty a minute.
    assert.ok(u.billedNodeHours >= 1 && u.billedNodeHours <= 1 + 80 / 3600, String(u.billedNodeHours));
    assert.ok(u.utilisation > 0.97);
  });

  it("bills more than the floor when pods spread over nodes, and a pool maximum packs them", () => {
    // A burst of eight short tasks adds two nodes; then long tasks arrive one by one. Least-allocated
    // placement puts each on the emptier node, so both stay up; with a maximum of one node they share it.
    const burst = Array.from({ length: 8 }, (_, i) => unit(`burst${i}`, 300));
    const long = Array.from({ length: 4 }, (_, i) => unit(`long${i}`, 4 * 3600));
    const work: Workload = {
      ...independent(burst),
      tasks: [...independent(burst).tasks, ...long.map((u, i) => ({ taskId: u.taskId, upstream: [`burst${i}`], downstream: [], units: [u] }))],
    };
    const withDownstream: Workload = { ...work, tasks: work.tasks.map((t) => ({ ...t, downstream: work.tasks.filter((o) => o.upstream.includes(t.taskId)).map((o) => o.taskId) })) };
    const spread = replay(withDownstream, [{ name: "tasks", room: ROOM, minNodes: 0, maxNodes: 4 }], SETTINGS);
    const packed = replay(withDownstream, [{ name: "tasks", room: ROOM, minNodes: 0, maxNodes: 1 }], SETTINGS);
    const hours = (r: typeof spread) => (r.pools.get("tasks")?.nodeSeconds ?? 0) / 3600;
    assert.ok(hours(spread) > 1.5 * hours(packed), `spread ${hours(spread)} vs packed ${hours(packed)}`);
    assert.ok((packed.finishSeconds ?? Infinity) <= (spread.finishSeconds ?? 0) + 600, "packing costs at most the burst's queueing");
    // Placement that packs (a preferred pod affinity) gets there without the maximum, and the same finish.
    const affinity = replay(withDownstream, [{ name: "tasks", room: ROOM, minNodes: 0, maxNodes: 4 }], { ...SETTINGS, placement: "pack" });
    assert.ok(hours(spread) > 1.5 * hours(affinity), `spread ${hours(spread)} vs pack ${hours(affinity)}`);
    assert.equal(affinity.finishSeconds, spread.finishSeconds);
  });
});

describe("capacity: several nights", () => {
  it("takes nearest-rank percentiles", () => {
    assert.equal(percentile([1, 2, 3], 50), 2);
    assert.equal(percentile([1, 2, 3], 95), 3);
    assert.equal(percentile(Array.from({ length: 20 }, (_, i) => i + 1), 95), 19);
  });

  it("replays each night as recorded: the chance of missing the deadline and P50/P95 finish", () => {
    const tasks = tasksResponse([{ id: "work" }]);
    const night = (day: string, hours: number) => instancesResponse([{ task: "work", start: 0, end: hours * 3600, run: runId(day) }], Date.parse(`${day}T01:00:00Z`));
    const files = writeExports(tempDir("nightly-percentiles"), { "tasks.json": tasks, "a.json": night("2026-10-05", 1), "b.json": night("2026-10-06", 2), "c.json": night("2026-10-07", 5) });
    const result = runCapacityCommand(["packfix", "--dag", files["tasks.json"], "--runs", files["a.json"], files["b.json"], files["c.json"], "--deadline-hours", "4"], [env]);
    assert.match(result.stdout, /across 3 nights, each replayed as recorded: deadline missed 1 of 3 \(33 %\); finish P50 2h0\d, P95 5h0\d/);
    assert.match(result.stdout, /^ {4}tasks +m6i\.2xlarge +ON_DEMAND +5\.0 +/m, "per pool: requested vCPU-hours of the composite night (max: 5 h at 1 vCPU)");
  });

  it("sweeps autoscaler settings, pool maximums and instance sizes in one table", () => {
    const tasks = tasksResponse(Array.from({ length: 6 }, (_, i) => ({ id: `w${i}` })));
    const files = writeExports(tempDir("nightly-sweep"), { "tasks.json": tasks, "runs.json": instancesResponse(Array.from({ length: 6 }, (_, i) => ({ task: `w${i}`, start: 0, end: 1800 }))) });
    const result = runCapacityCommand(["packfix", "--dag", files["tasks.json"], "--runs", files["runs.json"], "--deadline-hours", "4", "--sweep"], [env]);
    assert.equal(result.exitCode, 0, result.stderr);
    const table = result.stdout.slice(result.stdout.indexOf("what-if sweep"));
    for (const row of [/^ {4}as assumed above +0h\d\d +3h\d\d +\d+\.\d +\d\.\d\d× +\$\d+\.\d\d$/m, /^ {4}scale-down-delay-after-add 10m, scale-down-unneeded-time 15m +/m, /^ {4}--max tasks=1 \(configured 4\) +/m, /^ {4}--instance-types tasks=m6i\.4xlarge \(max nodes scaled to the same vCPU\) +/m]) {
      assert.match(table, row);
    }
  });
});

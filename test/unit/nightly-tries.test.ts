import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseDagExport, parseRunsExport } from "../../tools/capacity/airflow-export";
import { replay, type ReplaySettings } from "../../tools/capacity/replay";
import { parseTriesExport } from "../../tools/capacity/tries-export";
import { buildWorkload, criticalPath, type WorkloadOptions } from "../../tools/capacity/workload";
import { instancesResponse, RUN_AFTER, tasksResponse, triesResponse } from "../support/nightly-exports";

// Retries and running tasks, from exports of the tests' own: a task that failed once before it
// succeeded costs its failed try and the retry delay in time and in node-hours; a task still
// running when exported counts the time it has run, and says so.

const OPTIONS: WorkloadOptions = { durations: "max", defaultPool: "tasks", defaultRequests: { cpuMillicores: 1000, memoryMiB: 2048 }, sizes: new Map(), pools: ["tasks"] };
const SETTINGS: ReplaySettings = {
  parallelism: 32, maxActiveTasks: 32, airflowPoolSlots: new Map(), nodeJoinSeconds: 0, podStartSeconds: 0, scanIntervalSeconds: 1,
  scaleDownUnneededSeconds: 0, scaleDownDelayAfterAddSeconds: 0, taskQueuedTimeoutSeconds: Infinity,
};
const POOL = { name: "tasks", room: { cpuMillicores: 4000, memoryMiB: 16384, pods: 50 }, minNodes: 0, maxNodes: 4 };
const json = (doc: unknown) => JSON.stringify(doc);

// extract (600 s) → load: load's first try fails after 300 s, Airflow waits retry_delay 120 s,
// the second try succeeds in 600 s.
const dag = parseDagExport("tasks.json", json(tasksResponse([{ id: "extract", downstream: ["load"] }, { id: "load", retryDelaySeconds: 120 }])));
const runs = parseRunsExport("runs.json", json(instancesResponse([{ task: "extract", start: 0, end: 600 }, { task: "load", start: 1020, end: 1620, tryNumber: 2 }])));
const tries = parseTriesExport("tries.json", json(triesResponse([{ task: "load", start: 600, end: 900, state: "failed", tryNumber: 1 }, { task: "load", start: 1020, end: 1620, tryNumber: 2 }])));

describe("capacity: retries", () => {
  it("replays a failed try and its retry delay before the final try", () => {
    const workload = buildWorkload(dag, [runs], { ...OPTIONS, tries: [tries] });
    const load = workload.tasks.find((t) => t.taskId === "load")?.units[0];
    assert.deepEqual(load?.failedTries, [{ durationSeconds: 300, retryDelaySeconds: 120 }]);
    assert.equal(criticalPath(workload).seconds, 600 + 300 + 120 + 600);
    const result = replay(workload, [POOL], SETTINGS);
    assert.equal(result.finishSeconds, 1620);
    // The node is billed for both tries; the retry delay holds no node room, so the node may go.
    assert.ok((result.pools.get("tasks")?.nodeSeconds ?? 0) >= 600 + 300 + 600);
    assert.ok(workload.notes.some((n) => /1 task instance retried/.test(n)));
  });

  it("doubles the delay with retry_exponential_backoff", () => {
    const backoff = parseDagExport("tasks.json", json(tasksResponse([{ id: "extract", downstream: ["load"] }, { id: "load", retryDelaySeconds: 60, exponentialBackoff: true }])));
    const third = parseRunsExport("runs.json", json(instancesResponse([{ task: "extract", start: 0, end: 600 }, { task: "load", start: 2000, end: 2100, tryNumber: 3 }])));
    const failed = parseTriesExport("tries.json", json(triesResponse([{ task: "load", start: 600, end: 700, state: "failed", tryNumber: 1 }, { task: "load", start: 800, end: 900, state: "failed", tryNumber: 2 }])));
    const unit = buildWorkload(backoff, [third], { ...OPTIONS, tries: [failed] }).tasks.find((t) => t.taskId === "load")?.units[0];
    assert.deepEqual(unit?.failedTries?.map((f) => f.retryDelaySeconds), [60, 120]);
  });

  it("warns when only final tries are available for an instance that ran more than once", () => {
    const workload = buildWorkload(dag, [runs], OPTIONS);
    assert.equal(workload.tasks.find((t) => t.taskId === "load")?.units[0]?.failedTries, undefined);
    assert.ok(workload.notes.some((n) => /^warning: only final tries are available for 1 task instance that ran more than once/.test(n)), workload.notes.join("\n"));
    assert.equal(criticalPath(workload).seconds, 1200);
  });

  it("keeps the tries of the run the statistic picks, across runs", () => {
    const calm = parseRunsExport("calm.json", json(instancesResponse([{ task: "extract", start: 0, end: 600, run: "calm" }, { task: "load", start: 600, end: 1300, run: "calm" }])));
    const workload = buildWorkload(dag, [runs, calm], { ...OPTIONS, tries: [tries] });
    // The retried run took 300 + 120 + 600 = 1020 s for load; the calm run 700 s: max takes the retried one.
    assert.equal(criticalPath(workload).seconds, 600 + 1020);
    const median = buildWorkload(dag, [runs, calm], { ...OPTIONS, durations: "median", tries: [tries] });
    assert.equal(median.tasks.find((t) => t.taskId === "load")?.units[0]?.failedTries?.length, 1, "of two runs, the median is the upper one");
  });
});

describe("capacity: /tries from Airflow 2 (/api/v1)", () => {
  it("reads a v1 TaskInstanceHistoryCollection, and holds a document with a v2-only field to v2 in full", () => {
    // Field for field as Airflow 2.10's /api/v1 tries endpoint serializes TaskInstanceHistory.
    const v1 = {
      task_instances: [
        { task_id: "load", task_display_name: "load", dag_id: "fixture_nightly", dag_run_id: "scheduled__2026-10-05T01:00:00+00:00", start_date: "2026-10-05T01:10:00+00:00", end_date: "2026-10-05T01:15:00+00:00", duration: 300, state: "failed", try_number: 1, map_index: -1, max_tries: 2, hostname: "worker-0", unixname: "airflow", pool: "default_pool", pool_slots: 1, queue: "default", priority_weight: 1, operator: "KubernetesPodOperator", queued_when: "2026-10-05T01:09:58+00:00", pid: 4242, executor: null, executor_config: "{}" },
      ],
      total_entries: 1,
    };
    const parsed = parseTriesExport("v1-tries.json", json(v1));
    assert.equal(parsed.version, "v1");
    assert.deepEqual([parsed.tries[0]?.tryNumber, parsed.tries[0]?.durationSeconds, parsed.tries[0]?.state], [1, 300, "failed"]);
    const halfV2 = { ...v1, task_instances: [{ ...v1.task_instances[0], dag_version: null }] };
    assert.throws(() => parseTriesExport("half.json", json(halfV2)), /half\.json \/task_instances\/0: must have required property 'dag_display_name' \(TaskInstanceHistoryCollectionResponse/);
  });
});

describe("capacity: running tasks", () => {
  const running = parseRunsExport("runs.json", json(instancesResponse([{ task: "extract", start: 0, end: 600 }, { task: "load", start: 600, state: "running" }, { task: "extract", start: 0, end: 2400, mapIndex: 0 }].slice(0, 2))));

  it("counts a running task's elapsed time until the export's latest time, and says so", () => {
    const workload = buildWorkload(dag, [running], OPTIONS);
    const load = workload.tasks.find((t) => t.taskId === "load")?.units[0];
    // The latest time the export records is load's own start (600 s): it has run 0 s so far.
    assert.equal(load?.durationSeconds, 0);
    assert.ok(workload.notes.some((n) => /1 task instance was still running when exported and counts the time run so far/.test(n)), workload.notes.join("\n"));
    assert.ok(!workload.notes.some((n) => /skipped/.test(n) && /load/.test(n)), "not called skipped");
  });

  it("counts until --exported-at when given", () => {
    const workload = buildWorkload(dag, [running], { ...OPTIONS, asOfMs: RUN_AFTER + 3000 * 1000 });
    assert.equal(workload.tasks.find((t) => t.taskId === "load")?.units[0]?.durationSeconds, 2400);
    assert.equal(criticalPath(workload).seconds, 3000);
  });
});

import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { ExportError, parseDagExport, parseRunsExport, type ExportProblem } from "../../tools/capacity/airflow-export";
import { buildWorkload, criticalPath, type WorkloadOptions } from "../../tools/capacity/workload";
import { parseTaskMap } from "../../tools/capacity/task-map";

// The parser on exports shaped as Airflow serves them: the example export (Airflow 3, /api/v2,
// paged 100 task instances at a time) and an Airflow 2.10 /api/v1 export; and malformed files
// refused with the file, the JSON pointer in it and what the response schema expects.

const root = join(__dirname, "..", "..");
const example = join(root, "examples", "nightly-export");
const v1 = join(root, "test", "fixtures", "airflow-api-v1");
const read = (file: string) => readFileSync(file, "utf8");

const OPTIONS: WorkloadOptions = {
  durations: "max",
  defaultPool: "tasks",
  defaultRequests: { cpuMillicores: 1000, memoryMiB: 2048 },
  sizes: new Map([["bigmem", { cpuMillicores: 2000, memoryMiB: 49152 }]]),
  pools: ["tasks", "memory"],
};

function refused(parse: () => unknown): ExportProblem[] {
  try {
    parse();
  } catch (error) {
    assert.ok(error instanceof ExportError, String(error));
    return [...error.problems];
  }
  assert.fail("the export was accepted");
}

describe("Airflow REST API exports", () => {
  it("reads the example's /api/v2 DAG and its paged runs", () => {
    const dag = parseDagExport("tasks.json", read(join(example, "tasks.json")));
    assert.equal(dag.version, "v2");
    assert.equal(dag.tasks.length, 200);
    assert.deepEqual(dag.tasks.find((t) => t.taskId === "train_churn_model")?.downstream, ["export_partner_feeds"]);
    const pages = readdirSync(join(example, "runs")).sort().map((f) => parseRunsExport(f, read(join(example, "runs", f))));
    assert.ok(pages.every((p) => p.version === "v2"));
    assert.deepEqual(pages.map((p) => p.instances.length), [100, 100, 5, 100, 100, 5, 100, 100, 5]);
    const workload = buildWorkload(dag, pages, OPTIONS);
    assert.equal(workload.runIds.length, 3);
    assert.deepEqual(workload.notes.filter((n) => /pages missing/.test(n)), []);
    assert.equal(workload.tasks.find((t) => t.taskId === "export_partner_feeds")?.units.length, 6, "a mapped task's instances");
    assert.deepEqual(workload.tasks.find((t) => t.taskId === "weekend_summary")?.units, [], "a skipped task takes no time");
  });

  it("reads an Airflow 2.10 /api/v1 export, durations and mapped instances included", () => {
    const dag = parseDagExport("tasks.json", read(join(v1, "tasks.json")));
    const runs = parseRunsExport("task-instances.json", read(join(v1, "task-instances.json")));
    assert.deepEqual([dag.version, runs.version], ["v1", "v1"]);
    const workload = buildWorkload(dag, [runs], OPTIONS);
    assert.equal(workload.dagId, "nightly_legacy");
    assert.deepEqual(workload.tasks.find((t) => t.taskId === "load")?.upstream, ["transform_a", "transform_b"]);
    assert.deepEqual(workload.tasks.find((t) => t.taskId === "transform_b")?.units.map((u) => [u.id, u.durationSeconds, u.priority]), [["transform_b[0]", 1800, 2], ["transform_b[1]", 3600, 2]]);
    // extract 20 min, the longer transform_b instance 60 min, load 10 min.
    assert.equal(criticalPath(workload).seconds, 5400);
  });

  it("says when a run's pages are missing", () => {
    const dag = parseDagExport("tasks.json", read(join(example, "tasks.json")));
    const first = readdirSync(join(example, "runs")).sort()[0];
    const workload = buildWorkload(dag, [parseRunsExport(first, read(join(example, "runs", first)))], OPTIONS);
    assert.ok(workload.notes.some((n) => /100 of its 205 task instances exported \(pages missing\?/.test(n)), workload.notes.join("\n"));
  });

  it("takes each instance's longest duration, or the median", () => {
    const dag = parseDagExport("tasks.json", read(join(v1, "tasks.json")));
    const text = read(join(v1, "task-instances.json"));
    const slower = text.replace(/"duration": 1200/, '"duration": 1800').replace(/scheduled__2024-11-17/g, "scheduled__2024-11-18");
    const evenSlower = text.replace(/"duration": 1200/, '"duration": 3000').replace(/scheduled__2024-11-17/g, "scheduled__2024-11-19");
    const runs = [text, slower, evenSlower].map((t, i) => parseRunsExport(`run${i}.json`, t));
    const extract = (durations: "max" | "median") => buildWorkload(dag, runs, { ...OPTIONS, durations }).tasks[0].units[0].durationSeconds;
    assert.deepEqual([extract("max"), extract("median")], [3000, 1800]);
  });

  it("refuses a malformed export with the file, the path in it and what the schema expects", () => {
    const tasks = JSON.parse(read(join(example, "tasks.json"))) as { tasks: Record<string, unknown>[] };
    tasks.tasks[1].downstream_task_ids = "load_source_0";
    assert.deepEqual(refused(() => parseDagExport("tasks.json", JSON.stringify(tasks))), [
      { file: "tasks.json", path: "/tasks/1/downstream_task_ids", expected: "must be array or null (TaskCollectionResponse, the response of GET /api/v2/dags/{dag_id}/tasks)" },
    ]);
    const page = JSON.parse(read(join(example, "runs", readdirSync(join(example, "runs")).sort()[0]))) as { task_instances: Record<string, unknown>[] };
    page.task_instances[3].duration = "12s";
    delete page.task_instances[7].dag_run_id;
    assert.deepEqual(refused(() => parseRunsExport("page.json", JSON.stringify(page))), [
      { file: "page.json", path: "/task_instances/3/duration", expected: "must be number or null (TaskInstanceCollectionResponse, the response of GET /api/v2/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances)" },
      { file: "page.json", path: "/task_instances/7", expected: "must have required property 'dag_run_id' (TaskInstanceCollectionResponse, the response of GET /api/v2/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances)" },
    ]);
    const legacy = JSON.parse(read(join(v1, "task-instances.json"))) as { task_instances: Record<string, unknown>[] };
    legacy.task_instances[0].state = "finished";
    const [problem] = refused(() => parseRunsExport("v1.json", JSON.stringify(legacy)));
    assert.equal(problem.path, "/task_instances/0/state");
    assert.match(problem.expected, /must be equal to one of the allowed values \(TaskInstanceCollection, the response of GET \/api\/v1\//);
  });

  it("refuses what no schema says but a DAG must be: known downstream ids, no cycles, JSON at all", () => {
    const tasks = JSON.parse(read(join(v1, "tasks.json"))) as { tasks: { downstream_task_ids: string[] }[] };
    tasks.tasks[3].downstream_task_ids = ["extract", "publish"];
    const problems = refused(() => parseDagExport("dag.json", JSON.stringify(tasks)));
    assert.deepEqual(problems, [{ file: "dag.json", path: "/tasks/3/downstream_task_ids/1", expected: 'the id of a task in this export (got "publish")' }]);
    tasks.tasks[3].downstream_task_ids = ["extract"];
    assert.match(refused(() => parseDagExport("dag.json", JSON.stringify(tasks)))[0].expected, /without cycles \(downstream_task_ids loop: extract → transform_a → load → extract\)/);
    assert.deepEqual(refused(() => parseDagExport("dag.json", "{ tasks: [")).map((p) => p.path), ["/"]);
  });

  it("refuses a task map that names a pool or size the environment lacks, or a task the DAG lacks", () => {
    const dag = parseDagExport("tasks.json", read(join(example, "tasks.json")));
    const map = parseTaskMap("map.json", JSON.stringify({ tasks: { build_customer_360: { pool: "gpu" }, train_churn_model: { size: "huge" }, "nosuch_*": {} } }));
    const problems = refused(() => buildWorkload(dag, [], { ...OPTIONS, map }));
    assert.deepEqual(problems.map((p) => p.path), ["/tasks/build_customer_360/pool", "/tasks/train_churn_model/size", "/tasks/nosuch_*"]);
    assert.match(problems[0].expected, /one of the environment's task pools: tasks, memory \(the pod mutation hook refuses any other; got "gpu"\)/);
  });
});

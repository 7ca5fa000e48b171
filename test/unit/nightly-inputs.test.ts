import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { runCapacityCommand } from "../../tools/capacity/capacity-command";
import { validateEnvironments } from "../../environments";
import { shippedWith } from "../support/environments";
import { DAG_ID, instancesResponse, runId, tasksResponse, triesResponse, writeExports } from "../support/nightly-exports";
import { tempDir } from "../support/temp";

// Every bad input the capacity command can be given ends in a message that says what is wrong and
// where, with exit 1 (an input refused) or 2 (usage), never a stack trace. The environment is the
// tests' own: dev with its pools sized here.

const [env] = validateEnvironments([
  shippedWith("dev", {
    name: "capfix",
    nodeGroups: { tasks: { instanceTypes: ["m6i.2xlarge"], minSize: 0, maxSize: 3, desiredSize: 0 }, taskPools: { memory: { instanceTypes: ["r6i.2xlarge"], minSize: 0, maxSize: 1 } } },
  }),
]);
const dir = tempDir("nightly-inputs");
const tasks = tasksResponse([{ id: "extract", downstream: ["load"] }, { id: "load" }]);
const runs = instancesResponse([{ task: "extract", start: 0, end: 600 }, { task: "load", start: 610, end: 1210 }]);
const files = writeExports(dir, {
  "tasks.json": tasks,
  "runs.json": runs,
  "empty.json": { task_instances: [], total_entries: 0 },
  "no-map-index.json": (() => {
    const doc = instancesResponse([{ task: "extract", start: 0, end: 600 }]) as { task_instances: Record<string, unknown>[] };
    delete doc.task_instances[0].map_index;
    return doc;
  })(),
  "other-dag.json": instancesResponse([{ task: "sync_crm", start: 0, end: 60, dagId: "crm_sync" }]),
  "array.json": [1, 2, 3],
  "not-json.json": "{ task_instances: ",
  "map-null.json": { tasks: { extract: null } },
  "tries-no-number.json": (() => {
    const doc = triesResponse([{ task: "load", start: 0, end: 60, state: "failed" }]) as { task_instances: Record<string, unknown>[] };
    delete doc.task_instances[0].try_number;
    return doc;
  })(),
  "tries-other-run.json": triesResponse([{ task: "load", start: 0, end: 60, state: "failed", run: runId("2026-10-09") }]),
});
const run = (...argv: string[]) => runCapacityCommand(["capfix", "--deadline-hours", "4", ...argv], [env]);
const withExports = (runsFile: string, ...more: string[]) => run("--dag", files["tasks.json"], "--runs", runsFile, ...more);

function refused(result: ReturnType<typeof run>, exitCode: number, message: RegExp): void {
  assert.equal(result.exitCode, exitCode, result.stderr || result.stdout.slice(0, 400));
  assert.match(result.stderr, message);
  assert.doesNotMatch(result.stderr, /^\s+at /m, "no stack trace");
  assert.equal(result.stdout, "");
}

describe("capacity: strict input", () => {
  it("reads a well-formed v2 export of the tests' own (the baseline for the refusals below)", () => {
    const result = withExports(files["runs.json"]);
    assert.equal(result.exitCode, 0, result.stderr);
    assert.match(result.stdout, new RegExp(`Nightly run of ${DAG_ID}: 2 tasks, 2 task instances, from 1 run`));
  });

  it("refuses a v2 export missing a required field, naming its JSON path, instead of reading it as v1", () => {
    refused(withExports(files["no-map-index.json"]), 1, /no-map-index\.json \/task_instances\/0: must have required property 'map_index' \(TaskInstanceCollectionResponse/);
  });

  it("refuses an empty export", () => {
    refused(withExports(files["empty.json"]), 1, /empty\.json \/task_instances: at least one task instance/);
  });

  it("refuses runs of another DAG", () => {
    refused(withExports(files["other-dag.json"]), 1, /other-dag\.json \/task_instances: task instances of the DAG in .*tasks\.json .*runs of crm_sync/);
  });

  it("refuses an unknown --price-region with the regions it knows", () => {
    refused(withExports(files["runs.json"], "--price-region", "xx-nowhere-1"), 2, /--price-region xx-nowhere-1: no prices for it; one of us-east-1, eu-west-1/);
  });

  it("refuses an unknown --machine by name", () => {
    refused(withExports(files["runs.json"], "--machine", "z9.huge"), 1, /--machine z9\.huge: not an EC2 instance type this project knows/);
  });

  it("names what is wrong with a file of the wrong shape", () => {
    refused(withExports(files["tasks.json"]), 1, /tasks\.json \/: must have required property 'task_instances'/);
    refused(withExports(files["array.json"]), 1, /array\.json \/: must be object/);
    refused(withExports(files["not-json.json"]), 1, /not-json\.json \/: JSON \(/);
    refused(withExports(files["runs.json"], "--map", files["map-null.json"]), 1, /map-null\.json \/tasks\/extract: \{ "pool"\?/);
    refused(withExports(files["runs.json"], "--tries", files["tries-no-number.json"]), 1, /tries-no-number\.json \/task_instances\/0: must have required property 'try_number'/);
    refused(withExports(files["runs.json"], "--tries", files["tries-other-run.json"]), 1, /tries-other-run\.json \/task_instances\/0\/dag_run_id: a try of one of the exported runs/);
    refused(run("--dag", files["tasks.json"], "--runs", `${dir}/missing.json`), 1, /missing\.json \/: a readable file/);
  });

  it("explains bad flag values as usage errors", () => {
    for (const argv of [["--spot-fraction", "3"], ["--fixed-price", "nat=cheap"], ["--fixed-price", "gpu=1"], ["--instance-types", "tasks=z9.huge"], ["--exported-at", "yesterday"], ["--tries", "x.json"]]) {
      const result = argv[0] === "--tries" ? runCapacityCommand(["capfix", ...argv], [env]) : withExports(files["runs.json"], ...argv);
      refused(result, 2, /./);
    }
  });
});

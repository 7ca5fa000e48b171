import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { VALUE_FLAGS } from "../../tools/capacity/capacity-arguments";
import { runCapacityCommand } from "../../tools/capacity/capacity-command";
import { loadEnvironments, SHIPPED_ENVIRONMENTS } from "../../environments";
import { PROD_AS_SIZED_IN_TESTS, shippedWith } from "../support/environments";
import { tempDir } from "../support/temp";

// The capacity command as the package's CLI and `npm run capacity` run it.

const root = join(__dirname, "..", "..");
// The shipped environments with prod at the pool sizes this file's figures (and the docs' copy) show.
const environments = loadEnvironments(undefined, { ...SHIPPED_ENVIRONMENTS, prod: shippedWith("prod", PROD_AS_SIZED_IN_TESTS) });
const run = (...argv: string[]) => runCapacityCommand(argv, environments);
const line = (stdout: string, label: string) => stdout.split("\n").map((l) => l.trim()).find((l) => l.startsWith(label)) ?? "";

describe("npm run capacity", () => {
  const prod = run("prod");

  it("prints every pool's room per node and where each task size fits", () => {
    assert.equal(prod.exitCode, 0, prod.stderr);
    assert.match(prod.stdout, /^ {2}tasks +m6i\.2xlarge +ON_DEMAND +0–60 +7610m CPU, 30\.4 GiB, 54 pods +7 +\$0\.428$/m);
    assert.match(prod.stdout, /^ {2}memory +r6i\.2xlarge +ON_DEMAND +0–4 +7610m CPU, 62\.4 GiB, 54 pods +7 +\$0\.562$/m);
    assert.match(prod.stdout, /task size bigmem +2000m CPU, 49152 MiB requested; fits memory$/m);
  });

  it("replays the example export out of the box and prints every assumption with its flag", () => {
    assert.match(prod.stdout, /Nightly run of high_priorities: 200 tasks, 204 task instances, from 3 runs/);
    for (const flag of VALUE_FLAGS.filter((f) => f !== "--dag" && f !== "--map")) assert.match(prod.stdout, new RegExp(`^ {4}${flag} `, "m"), flag);
    assert.match(prod.stdout, /^ {4}--airflow-pool +default_pool=128 /m);
    assert.match(prod.stdout, /critical path: 3h59, no node count finishes sooner: .*build_customer_360 1h46 → train_churn_model/);
    assert.match(line(prod.stdout, "finishes"), /^finishes +4h\d\d \(deadline 8h00: 3h\d\d to spare\) +\dh\d\d /);
    assert.match(line(prod.stdout, "peak nodes"), /tasks \d+, memory 1 +1$/);
    assert.match(line(prod.stdout, "platform: task pools"), /\$\d+\.\d\d \+ system nodes \$\d+\.\d\d \+ fixed \$\d+\.\d\d +\$\d+\.\d\d +\$\d+\.\d\d$/);
    assert.match(line(prod.stdout, "ratio platform ÷ baseline"), /\d\.\d\d× +\d\.\d\d× against the Savings Plan$/);
    // The cheapest in time among the tasks pool's architecture (x86_64): no Graviton type, whose AMI the tasks' code may not run on.
    assert.match(prod.stdout, /baseline: [a-z]+\d+[a-z]*\.\d*x?large, the cheapest always-on, non-burstable x86_64 machine that finishes this export by the deadline/);
    assert.doesNotMatch(prod.stdout, /^ +always-on [a-z]+\d+[a-z]*g[a-z]*\./m);
    assert.match(prod.stdout, /eu-west-1, the environment's region: us-east-1's × 1\.1146 \(estimate/);
  });

  it("changes an assumption by its flag, and the replay with it", () => {
    const slow = run("prod", "--node-join-seconds", "1800", "--machine", "r6i.2xlarge");
    assert.match(slow.stdout, /^ {4}--node-join-seconds +1800 +.*\(given\)$/m);
    const minutes = (text: string) => {
      const [, h, m] = /^ {2}finishes +(\d+)h(\d\d)/m.exec(text) ?? [];
      return Number(h) * 60 + Number(m);
    };
    assert.ok(minutes(slow.stdout) >= minutes(prod.stdout) + 25, "nodes that take 30 minutes to join finish the run later");
    assert.match(slow.stdout, /always-on r6i\.2xlarge$/m);
  });

  it("exits 3 when the replayed run misses its deadline, and names the lateness", () => {
    const late = run("prod", "--deadline-hours", "2");
    assert.equal(late.exitCode, 3);
    assert.match(line(late.stdout, "finishes"), /LATE/);
  });

  it("refuses a malformed export with the file, the path and what was expected, and exits 1", () => {
    const dir = tempDir("capacity-command");
    const tasks = JSON.parse(readFileSync(join(root, "examples", "nightly-export", "tasks.json"), "utf8")) as { tasks: Record<string, unknown>[] };
    delete tasks.tasks[5].downstream_task_ids;
    writeFileSync(join(dir, "tasks.json"), JSON.stringify(tasks));
    const result = run("dev", "--dag", join(dir, "tasks.json"), "--runs", join(root, "examples", "nightly-export", "runs", "2026-11-16-page-1.json"));
    assert.equal(result.exitCode, 1);
    assert.match(result.stderr, /tasks\.json \/tasks\/5: must have required property 'downstream_task_ids' \(TaskCollectionResponse, the response of GET \/api\/v2\/dags\/\{dag_id\}\/tasks\)/);
  });

  it("reads its own exports from --dag and --runs, and says which files", () => {
    const v1 = join(root, "test", "fixtures", "airflow-api-v1");
    const result = run("dev", "--dag", join(v1, "tasks.json"), "--runs", join(v1, "task-instances.json"), "--deadline-hours", "3");
    assert.equal(result.exitCode, 0, result.stderr);
    assert.match(result.stdout, /Nightly run of nightly_legacy: 4 tasks, 5 task instances, from 1 run/);
    assert.match(result.stdout, /critical path: 1h30/);
  });

  it("explains usage errors and exits 2", () => {
    for (const argv of [["prod", "--dag", "x.json"], ["prod", "--nodes-join", "3"], ["no-such-environment"], ["prod", "--min", "gpu=1"], ["prod", "--durations", "mean"]]) {
      const result = run(...argv);
      assert.equal(result.exitCode, 2, argv.join(" "));
      assert.ok(result.stderr.length > 0);
    }
  });

  it("is what scripts/capacity.ts prints", () => {
    const script = spawnSync(process.execPath, ["--import", "tsx", "scripts/capacity.ts", "prod"], { cwd: root, encoding: "utf8" });
    assert.equal(script.status, 0, script.stderr);
    assert.equal(script.stdout, runCapacityCommand(["prod"], loadEnvironments("prod")).stdout);
  });

  it("is shown in docs/capacity.md as it prints for prod", () => {
    const page = readFileSync(join(root, "docs", "capacity.md"), "utf8");
    const block = /<!-- capacity prod -->\n```text\n([\s\S]*?)```\n<!-- \/capacity -->/.exec(page);
    assert.ok(block, "docs/capacity.md has the capacity report between <!-- capacity prod --> and <!-- /capacity -->");
    assert.equal(block[1], `$ npm run capacity -- prod\n${prod.stdout}`);
  });
});

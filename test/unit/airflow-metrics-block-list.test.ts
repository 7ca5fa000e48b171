import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { capturedLines, capturedPoints } from "../support/captured-series";

// What reaches Datadog from the capture (test/fixtures/airflow-statsd-capture.txt) after the
// platform's `[metrics] metrics_block_list` and the agent's mapper: no metric name may carry a
// DAG, a task, a pool, a host or an operator, or every one of them is a custom metric of its own.
// The entities are read from the capture's own tags, so a new per-entity name fails here.

const ENTITY_TAGS = ["dag_id", "task_id", "pool_name", "hostname", "operator", "task_type"];

describe("the platform's block list on what Airflow 3.1.8 sent", () => {
  const lines = capturedLines();
  const entities = new Set(
    lines.flatMap(({ line }) =>
      (line.split("|").find((s) => s.startsWith("#"))?.slice(1).split(",") ?? [])
        .map((tag) => [tag.slice(0, tag.indexOf(":")), tag.slice(tag.indexOf(":") + 1)] as const)
        .filter(([key]) => ENTITY_TAGS.includes(key))
        .map(([, value]) => value),
    ),
  );

  it("the capture names DAGs, tasks, pools, a host and operators in its tags", () => {
    for (const expected of ["capture_success", "sleep_long", "capture_one_slot", "default_pool", "_PythonDecoratedOperator"]) assert.ok(entities.has(expected), expected);
  });

  it("no metric Datadog stores names one of them", () => {
    const names = [...new Set(capturedPoints(lines).map((p) => p.name))];
    const leaks = names.filter((name) => name.split(".").some((segment) => entities.has(segment) || [...entities].some((e) => segment.endsWith(`_${e}`))));
    assert.deepEqual(leaks, []);
  });
});

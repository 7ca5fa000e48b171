import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { metricEmitters, versionAtLeast } from "../../constructs/datadog/metric-emitters";
import { AIRFLOW_CHART } from "../../constructs/airflow/chart-versions";
import { captureAirflowStatsd, captureLines, readCapture } from "../support/airflow-capture";
import { airflowFiles } from "../support/airflow-files";
import { captureEnvironment } from "../support/capture-environment";
import type { CapturedDatagram } from "../support/statsd-listener";

// Airflow 3.1.8 runs the test DAGs now, with the files Helm renders for the capture's
// environment, and what it sends is compared with the recorded capture the monitor tests read
// (test/fixtures/airflow-statsd-capture.txt): the same metrics, as the same types, with the same
// tag keys, for every name metric-emitters.yaml traces. Names that carry a DAG, a task, a pool or
// a host are compared with those parts replaced. Prints its time.

const ENTITY_TAGS = ["dag_id", "task_id", "pool_name", "hostname", "operator", "task_type", "file_path"];

function tracedNames(datagrams: readonly CapturedDatagram[]): Set<string> {
  const lines = captureLines(datagrams).map((l) => l.line);
  // A DAG file also names legacy metrics by its stem (dag_processing.last_run.seconds_ago.<file>).
  const entities = new Set(
    lines
      .flatMap((line) => (line.split("|").find((s) => s.startsWith("#"))?.slice(1).split(",") ?? []).filter((t) => ENTITY_TAGS.includes(t.slice(0, t.indexOf(":")))).map((t) => t.slice(t.indexOf(":") + 1)))
      .flatMap((value) => (value.endsWith(".py") ? [value, value.slice(0, -".py".length)] : [value])),
  );
  const traced = metricEmitters().airflow.stats.filter((s) => versionAtLeast(AIRFLOW_CHART.airflowVersion, s.since)).map((s) => new RegExp(`^airflow\\.${s.stat.replace(/[.*+?^$()|[\]\\-]/g, "\\$&").replace(/\\\{\w+\\\}|\{\w+\}/g, ".+")}$`));
  return new Set(
    lines.flatMap((line) => {
      const name = line.slice(0, line.indexOf(":"));
      if (!traced.some((r) => r.test(name))) return [];
      const [, type, ...sections] = line.slice(line.indexOf(":") + 1).split("|");
      const keys = (sections.find((s) => s.startsWith("#"))?.slice(1).split(",") ?? []).map((t) => t.slice(0, t.indexOf(":"))).sort();
      const stable = name.split(".").map((segment) => (entities.has(segment) ? "<x>" : segment)).join(".").replace(/_(_?[A-Z]\w+)$/, "_<operator>");
      return [`${stable}|${type}|${keys.join(",")}`];
    }),
  );
}

describe("Airflow 3.1.8 running the test DAGs now", () => {
  it("sends what the recorded capture holds, for every traced metric", async () => {
    const started = Date.now();
    const result = await captureAirflowStatsd(airflowFiles(captureEnvironment()));
    const seconds = (Date.now() - started) / 1000;
    console.log(`Airflow suite: ${seconds.toFixed(1)} s (${Object.entries(result.timings).map(([phase, s]) => `${phase} ${s.toFixed(1)} s`).join(", ")}), ${result.datagrams.length} datagrams`);
    const live = tracedNames(result.datagrams);
    const recorded = tracedNames(readCapture());
    assert.deepEqual({ onlyLive: [...live].filter((n) => !recorded.has(n)).sort(), onlyRecorded: [...recorded].filter((n) => !live.has(n)).sort() }, { onlyLive: [], onlyRecorded: [] }, "refresh with npm run capture-airflow-statsd if Airflow changed");
  });
});

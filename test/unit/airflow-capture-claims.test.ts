import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AIRFLOW_CHART } from "../../constructs/airflow/chart-versions";
import { compileProfiles, intakeMetricName, mapMetricName } from "../../constructs/datadog/dogstatsd-agent";
import { airflowMapperProfiles } from "../../constructs/datadog/mapper-profiles";
import { metricEmitters, versionAtLeast, type AirflowStat } from "../../constructs/datadog/metric-emitters";
import { capturedLines, capturedPoints, statOf } from "../support/captured-series";

// data/datadog/metric-emitters.yaml against what Airflow 3.1.8 really sent
// (test/fixtures/airflow-statsd-capture.txt, taken without a block list): every name it says
// this Airflow sends arrived, as the type and with the tag keys it says, unless the capture's
// run cannot make it (listed here with why); nothing it says is not sent arrived.

/** Claimed stats the capture's DAGs and processes cannot make, and why. */
const NOT_EXERCISED: Readonly<Record<string, string>> = {
  "{job}_end": "a job completing; the run's components are stopped by SIGTERM, which ends them without it",
  schedulerjobrunner_end: "another scheduler's job found dead",
  task_removed_from_dag: "a DAG changed under a running run",
  "task_removed_from_dag.{dag_id}": "a DAG changed under a running run",
  task_restored_to_dag: "a DAG changed under a running run",
  "task_restored_to_dag.{dag_id}": "a DAG changed under a running run",
};

const WIRE_TYPE = { count: "c", gauge: "g", timing: "ms" } as const;

interface CapturedStat {
  readonly stat: string;
  readonly type: string;
  readonly tagKeys: string;
}

const lines = capturedLines();
const captured: CapturedStat[] = lines.flatMap(({ line }) => {
  const stat = statOf(line);
  if (stat === undefined) return [];
  const [, type, ...sections] = line.slice(line.indexOf(":") + 1).split("|");
  const tags = sections.find((s) => s.startsWith("#"))?.slice(1).split(",") ?? [];
  return [{ stat, type, tagKeys: tags.map((t) => t.slice(0, t.indexOf(":"))).sort().join(",") }];
});

function templateRegex(entry: AirflowStat): RegExp {
  const escaped = entry.stat.split(/(\{\w+\})/).map((part) => {
    const key = /^\{(\w+)\}$/.exec(part)?.[1];
    if (key === undefined) return part.replace(/[.*+?^$()|[\]\\-]/g, "\\$&");
    const values = entry.values?.[key];
    return values ? `(?:${values.join("|")})` : ".+";
  });
  return new RegExp(`^${escaped.join("")}$`);
}

const version = AIRFLOW_CHART.airflowVersion;
const stats = metricEmitters().airflow.stats;
const sentHere = stats.filter((entry) => versionAtLeast(version, entry.since));
const notYet = stats.filter((entry) => !versionAtLeast(version, entry.since));
/** The entry a captured name belongs to: the most specific template that matches it. */
const matching = (entry: AirflowStat) => captured.filter((c) => templateRegex(entry).test(c.stat) && !sentHere.some((other) => other !== entry && other.stat.length > entry.stat.length && templateRegex(other).test(c.stat)));

describe(`metric-emitters.yaml against what Airflow ${version} sent`, () => {
  it("every name it says this Airflow sends arrived, unless the capture's run cannot make it", () => {
    const missing = sentHere.filter((entry) => NOT_EXERCISED[entry.stat] === undefined && matching(entry).length === 0).map((entry) => entry.stat);
    assert.deepEqual(missing, []);
    const stale = sentHere.filter((entry) => NOT_EXERCISED[entry.stat] !== undefined && matching(entry).length > 0).map((entry) => entry.stat);
    assert.deepEqual(stale, [], "arrived after all: take it off NOT_EXERCISED");
  });

  it("each arrived as the type it says", () => {
    const wrong = sentHere.flatMap((entry) => [...new Set(matching(entry).map((c) => c.type))].filter((type) => type !== WIRE_TYPE[entry.type]).map((type) => `${entry.stat}: says ${entry.type}, arrived |${type}`));
    assert.deepEqual(wrong, []);
  });

  it("each arrived with the tag keys it says (all of them, over all its calls), and no other", () => {
    const wrong = sentHere.flatMap((entry) => {
      const seen = matching(entry).map((c) => c.tagKeys);
      if (seen.length === 0) return [];
      const keys = [...new Set(seen.flatMap((k) => (k ? k.split(",") : [])))].sort();
      const claimed = [...entry.tags].sort();
      return keys.join(",") === claimed.join(",") ? [] : [`${entry.stat}: says [${claimed.join(", ")}], arrived with [${keys.join(", ")}]`];
    });
    assert.deepEqual(wrong, []);
  });

  it(`nothing it says is sent only after ${version} arrived`, () => {
    const early = notYet.filter((entry) => captured.some((c) => templateRegex(entry).test(c.stat))).map((entry) => `${entry.stat} (since ${entry.since})`);
    assert.deepEqual(early, []);
  });

  it("no Datadog metric it lists as not sent comes out of Airflow, except as a legacy name it says is dropped", () => {
    // Every mapping of Datadog's Airflow profiles, not only those the platform gives its agent.
    const profiles = compileProfiles(airflowMapperProfiles());
    const produced = new Set(captured.map((c) => intakeMetricName(mapMetricName(profiles, `airflow.${c.stat}`)?.name ?? `airflow.${c.stat}`)));
    const wrong = metricEmitters().airflow.notSent.flatMap((entry) =>
      entry.metrics.filter((metric) => produced.has(metric) && !/legacy/.test(entry.reason)).map((metric) => `${metric} is sent: "${entry.reason}" is wrong`),
    );
    assert.deepEqual(wrong, []);
  });

  it("no Datadog metric it lists as not sent reaches Datadog on this platform", () => {
    const names = new Set(capturedPoints(lines).map((p) => p.name));
    const arrived = metricEmitters().airflow.notSent.flatMap((entry) => entry.metrics.filter((metric) => names.has(metric)));
    assert.deepEqual(arrived, []);
  });
});

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { airflowMetricsConfig } from "../../constructs/datadog/airflow-metrics-config";
import { blockPattern, sampleCalls } from "../../constructs/datadog/airflow-metric-trace";
import { airflowDatagram, airflowMetricsSettings, airflowSendsStat } from "../../constructs/datadog/airflow-statsd-client";
import { compileProfiles, mapMetricName, mapperRegex } from "../../constructs/datadog/dogstatsd-agent";
import { airflowMapperProfiles } from "../../constructs/datadog/mapper-profiles";
import { metricEmitters } from "../../constructs/datadog/metric-emitters";
import { loadEnvironments } from "../../environments";
import { mapperProfilesFor } from "../../configuration/derived/metric-catalog";
import { shippedWith } from "../support/environments";

const dogstatsd = airflowMetricsSettings(airflowMetricsConfig("dogstatsd"));
const statsd = airflowMetricsSettings(airflowMetricsConfig("statsd"));

describe("Airflow's StatsD clients", () => {
  it("read [metrics] as Airflow does: DogStatsD first, then plain StatsD", () => {
    assert.equal(dogstatsd.client, "dogstatsd");
    assert.equal(statsd.client, "statsd");
    assert.equal(airflowMetricsSettings({ statsd_on: "False" }).client, "none");
  });

  it("drop the tags statsd_disabled_tags names (job_id, run_id) and keep the rest", () => {
    const datagram = airflowDatagram({ type: "count", stat: "ti_failures", value: 1, tags: { dag_id: "d", run_id: "r", task_id: "t" } }, dogstatsd);
    assert.equal(datagram, "airflow.ti_failures:1|c|#dag_id:d,task_id:t\n");
  });

  it("write timings as datadogpy (float ms) and pystatsd ('%0.6f') do", () => {
    const call = { type: "timing", stat: "task.duration", value: 1500, float: true, tags: { dag_id: "d" } } as const;
    assert.equal(airflowDatagram(call, dogstatsd), "airflow.task.duration:1500.0|ms|#dag_id:d\n");
    assert.equal(airflowDatagram(call, statsd), "airflow.task.duration:1500.000000|ms");
  });

  it("block every dotted legacy name and none of their tagged twins", () => {
    for (const stat of metricEmitters().airflow.stats) {
      for (const call of sampleCalls(stat)) {
        assert.equal(airflowSendsStat(call.stat, dogstatsd), stat.legacyOf === undefined, call.stat);
        assert.equal(airflowSendsStat(call.stat, statsd), true, `${call.stat} with plain StatsD`);
      }
    }
  });

  it("turn a legacy template into an anchored pattern that cannot match the shorter tagged name", () => {
    assert.equal(blockPattern("dagrun.{dag_id}.first_task_scheduling_delay"), "^dagrun\\..+\\.first_task_scheduling_delay$");
    assert.ok(!new RegExp(blockPattern("dagrun.{dag_id}.first_task_scheduling_delay")).test("dagrun.first_task_scheduling_delay"));
  });
});

describe("the agent's mapper", () => {
  const profiles = compileProfiles(airflowMapperProfiles());

  it("reads a wildcard as one dot-free segment, anchored", () => {
    assert.ok(mapperRegex("airflow.*_start", undefined).test("airflow.job_start"));
    assert.ok(!mapperRegex("airflow.*_start", undefined).test("airflow.ti.start"));
    assert.ok(!mapperRegex("airflow.*_start", undefined).test("airflow.dag.job_start"), "a wildcard never spans a dot");
    assert.ok(!mapperRegex("airflow.*_start", undefined).test("xairflow.job_start"));
  });

  it("renames a legacy name and captures its tags, and leaves a tagged name alone", () => {
    assert.deepEqual(mapMetricName(profiles, "airflow.dagrun.duration.success.high_priorities"), { name: "airflow.dagrun.duration.success", tags: ["dag_id:high_priorities"] });
    assert.deepEqual(mapMetricName(profiles, "airflow.job_heartbeat_failure"), { name: "airflow.job.heartbeat.failure", tags: ["job_name:job"] });
    assert.equal(mapMetricName(profiles, "airflow.ti_failures"), undefined);
  });

  it("is given only the mappings something still sends: five with Airflow's tags, the dotted names' with plain StatsD", () => {
    const [dev] = loadEnvironments("dev");
    const tagged = mapperProfilesFor(dev).flatMap((p) => p.mappings.map((m) => m.name));
    assert.deepEqual(tagged, ["airflow.job.start", "airflow.job.end", "airflow.job.heartbeat.failure", "airflow.dag_processing.last_run.seconds_ago", "airflow.scheduler.tasks.starving"]);
    const [plain] = loadEnvironments("dev", { dev: shippedWith("dev", { observability: { statsdClient: "statsd" } }) });
    const names = mapperProfilesFor(plain).flatMap((p) => p.mappings.map((m) => m.name));
    for (const name of ["airflow.dagrun.duration.success", "airflow.dagrun.duration.failed", "airflow.pool.starving_tasks", "airflow.dag.task.duration", "airflow.operator_failures"]) {
      assert.ok(names.includes(name), name);
    }
    assert.ok(names.includes("airflow.ti.finish"), "3.1.8 sends ti.finish.<dag>.<task>.<state> (test/fixtures/airflow-statsd-capture.txt)");
  });
});

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { airflowMapperProfiles } from "../../constructs/datadog/mapper-profiles";
import { knownMetrics, metricNamesFromCsv } from "../../constructs/datadog/metric-catalog";
import { isParsed, parseMonitorQuery } from "../../constructs/datadog/monitor-query";
import { checkMonitorSpec, type MonitorSpec } from "../../constructs/datadog/monitor-spec";

const base: MonitorSpec = {
  key: "example",
  name: "Example",
  severity: "critical",
  priority: 2,
  query: "avg(last_15m):avg:aws.rds.cpuutilization{dbinstanceidentifier:db} > 90",
  thresholds: { critical: 90, warning: 75 },
  summary: "s",
  impact: "i",
  firstCheck: "f",
  notifyNoData: false,
};

describe("monitor query parser", () => {
  it("reads aggregation, window, metric, scope, groups, modifier, comparator and threshold", () => {
    const parsed = parseMonitorQuery("sum(last_5m):sum:airflow.job.heartbeat.failure{env:prod,service:airflow} by {job_name}.as_count() >= 1");
    assert.ok(isParsed(parsed));
    assert.equal(parsed.timeAggregation, "sum");
    assert.equal(parsed.windowMinutes, 5);
    assert.deepEqual(parsed.terms, [
      { spaceAggregation: "sum", metric: "airflow.job.heartbeat.failure", scope: ["env:prod", "service:airflow"], groupBy: ["job_name"], modifier: "as_count" },
    ]);
    assert.equal(parsed.comparator, ">=");
    assert.equal(parsed.threshold, 1);
  });

  it("reads arithmetic over several metrics", () => {
    const parsed = parseMonitorQuery("min(last_1h):sum:a.b{*} - 1000 * sum:c.d{env:x} > 0");
    assert.ok(isParsed(parsed));
    assert.deepEqual(parsed.terms.map((t) => t.metric), ["a.b", "c.d"]);
    assert.equal(parsed.windowMinutes, 60);
  });

  for (const [query, reason] of [
    ["avg(last_5m) avg:x.y{*} > 1", /time aggregation and window/],
    ["avg(last_5m):avg:x.y{*}", /comparator/],
    ["avg(last_5m):avg:x.y{env} > 1", /not key:value/],
    ["avg(last_5m):avg:x.y{*} + > 1", /dangling operator|cannot read/],
    ["avg(last_5m):x.y{*} > 1", /cannot read/],
  ] as const) {
    it(`refuses ${query}`, () => {
      const parsed = parseMonitorQuery(query);
      assert.ok(!isParsed(parsed));
      assert.match(parsed.error, reason);
    });
  }
});

describe("monitor checks", () => {
  it("pass a sound monitor", () => {
    assert.deepEqual(checkMonitorSpec(base, knownMetrics()), []);
  });

  it("name the monitor and the metric when the metric is unknown", () => {
    const problems = checkMonitorSpec({ ...base, query: "avg(last_15m):avg:aws.rds.cpu_utilisation{dbinstanceidentifier:db} > 90" }, knownMetrics());
    assert.deepEqual(problems, ['monitor "Example": metric aws.rds.cpu_utilisation is not in the Datadog metric lists (data/datadog)']);
  });

  it("refuse a query threshold that differs from the critical threshold", () => {
    const problems = checkMonitorSpec({ ...base, thresholds: { critical: 80, warning: 75 } }, knownMetrics());
    assert.match(problems.join(), /query threshold 90 differs from the critical threshold 80/);
  });

  it("refuse a warning on the wrong side of critical, for either direction", () => {
    assert.match(checkMonitorSpec({ ...base, thresholds: { critical: 90, warning: 95 } }, knownMetrics()).join(), /warning 95 must be below critical 90/);
    const below = { ...base, query: "min(last_15m):min:aws.rds.free_storage_space{dbinstanceidentifier:db} < 100", thresholds: { critical: 100, warning: 50 } };
    assert.match(checkMonitorSpec(below, knownMetrics()).join(), /warning 50 must be above critical 100/);
  });

  it("refuse a query that does not parse", () => {
    assert.match(checkMonitorSpec({ ...base, query: "cpu > 90" }, knownMetrics()).join(), /does not parse/);
  });
});

describe("metric catalog and mapper profiles", () => {
  it("holds the upstream lists and the documented AWS metrics", () => {
    const metrics = knownMetrics();
    for (const name of ["airflow.scheduler_heartbeat", "kubernetes_state.pod.status_phase", "kubernetes.cpu.usage.total", "kubernetes_cluster_autoscaler.evicted.pods.count", "pgbouncer.pools.cl_waiting", "aws.rds.database_connections"]) {
      assert.ok(metrics.has(name), name);
    }
  });

  it("refuse a metric that KubernetesExecutor never sends, though Datadog lists it", () => {
    const spec = { ...base, query: "sum(last_15m):sum:airflow.ti_failures{env:prod}.as_count() > 90" };
    assert.match(checkMonitorSpec(spec, knownMetrics()).join(), /airflow\.ti_failures is not emitted under KubernetesExecutor/);
  });

  it("reads metric names from a metadata CSV and refuses another layout", () => {
    assert.deepEqual(metricNamesFromCsv("metric_name,metric_type\na.b,gauge\nc.d,count\n"), ["a.b", "c.d"]);
    assert.throws(() => metricNamesFromCsv("name,type\na,b"), /first column must be metric_name/);
  });

  it("uses the YAML mapper profiles with all 31 Airflow mappings", () => {
    const [airflow] = airflowMapperProfiles();
    assert.equal(airflow.prefix, "airflow.");
    assert.equal(airflow.mappings.length, 31);
    const names = airflow.mappings.map((m) => m.name);
    for (const name of ["airflow.local_task_job.task_exit", "airflow.dag.queue_duration", "airflow.dag.scheduled_duration", "airflow.ti.finish"]) {
      assert.ok(names.includes(name), name);
    }
  });
});

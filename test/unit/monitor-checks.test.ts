import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { airflowMapperProfiles } from "../../constructs/datadog/mapper-profiles";
import { isParsed, parseMonitorQuery } from "../../constructs/datadog/monitor-query";
import { checkMonitorSpec, type MonitorSpec } from "../../constructs/datadog/monitor-spec";
import { splitCsvLine } from "../../constructs/datadog/metric-emitters";
import { loadEnvironments } from "../../environments";
import { metricCatalogFor } from "../../configuration/derived/metric-catalog";

const [dev] = loadEnvironments("dev");
const catalog = metricCatalogFor(dev);

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
      { defaultZero: false, spaceAggregation: "sum", metric: "airflow.job.heartbeat.failure", scope: ["env:prod", "service:airflow"], groupBy: ["job_name"], modifier: "as_count" },
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

  it("reads default_zero around a term", () => {
    const parsed = parseMonitorQuery("sum(last_12h):default_zero(sum:a.b.count{dag_id:x}) <= 0");
    assert.ok(isParsed(parsed));
    assert.equal(parsed.terms[0].defaultZero, true);
    assert.equal(parsed.terms[0].metric, "a.b.count");
    assert.equal(parsed.comparator, "<=");
  });

  for (const [query, reason] of [
    ["avg(last_5m) avg:x.y{*} > 1", /time aggregation and window/],
    ["avg(last_5m):avg:x.y{*}", /comparator/],
    ["avg(last_5m):avg:x.y{env} > 1", /not key:value/],
    ["avg(last_5m):avg:x.y{*} + > 1", /dangling operator|cannot read/],
    ["avg(last_5m):x.y{*} > 1", /cannot read/],
    ["avg(last_5m):default_zero(avg:x.y{*} > 1", /closing parenthesis/],
  ] as const) {
    it(`refuses ${query}`, () => {
      const parsed = parseMonitorQuery(query);
      assert.ok(!isParsed(parsed));
      assert.match(parsed.error, reason);
    });
  }
});

describe("monitor checks against what is sent", () => {
  it("pass a sound monitor", () => {
    assert.deepEqual(checkMonitorSpec(base, catalog), []);
  });

  it("name the monitor and the metric when nothing sends it", () => {
    const problems = checkMonitorSpec({ ...base, query: "avg(last_15m):avg:aws.rds.cpu_utilisation{dbinstanceidentifier:db} > 90" }, catalog);
    assert.equal(problems.length, 1);
    assert.match(problems[0], /^monitor "Example": metric aws\.rds\.cpu_utilisation is not sent on this platform: nothing this platform runs sends it/);
  });

  it("accept an AWS metric from Datadog's published RDS list, not only the ones the built-in monitors use", () => {
    assert.deepEqual(checkMonitorSpec({ ...base, query: "avg(last_15m):avg:aws.rds.read_latency{dbinstanceidentifier:db} > 90" }, catalog), []);
  });

  it("refuse an RDS metric Datadog lists that this database never produces, saying why", () => {
    const aurora = checkMonitorSpec({ ...base, query: "avg(last_15m):avg:aws.rds.deadlocks{dbinstanceidentifier:db} > 90" }, catalog);
    assert.match(aurora.join(), /aws\.rds\.deadlocks is not sent on this platform: sent only for Aurora/);
    const enhanced = checkMonitorSpec({ ...base, query: "avg(last_15m):avg:aws.rds.cpuutilization.total{dbinstanceidentifier:db} > 90" }, catalog);
    assert.match(enhanced.join(), /Enhanced Monitoring metric.*Datadog-RDS-Enhanced Lambda/);
  });

  it("refuse a tag the emitter does not send, naming the tag and the emitter", () => {
    const problems = checkMonitorSpec({ ...base, query: "avg(last_15m):avg:aws.rds.cpuutilization{pod_name:db} > 90" }, catalog);
    assert.match(problems.join(), /filters by pod_name:db, but aws\.rds\.cpuutilization arrives without the tag pod_name: sent by Datadog's AWS integration/);
  });

  it("accept a node agent's check by host and by pool, which the agent sends as host tags", () => {
    const query = "avg(last_30m):avg:kubernetes.cpu.usage.total{node_pool:tasks} by {host} > 3800000000";
    assert.deepEqual(checkMonitorSpec({ ...base, query, thresholds: { critical: 3800000000 } }, catalog), []);
  });

  it("refuse an AWS metric by host: the AWS integration sends it under no node of the cluster", () => {
    const problems = checkMonitorSpec({ ...base, query: "avg(last_15m):avg:aws.rds.cpuutilization{node_pool:tasks} > 90" }, catalog);
    assert.match(problems.join(), /filters by node_pool:tasks, but aws\.rds\.cpuutilization arrives without the tag node_pool/);
  });

  it("refuse a value of an agent tag the agent never sets", () => {
    const problems = checkMonitorSpec({ ...base, query: "sum(last_5m):sum:airflow.scheduler_heartbeat{env:dev,service:airlfow}.as_count() < 1", thresholds: { critical: 1 } }, catalog);
    assert.match(problems.join(), /filters by service:airlfow, but airflow\.scheduler_heartbeat arrives without that value of service: .*service:airflow/);
  });

  it("refuse a query threshold that differs from the critical threshold", () => {
    const problems = checkMonitorSpec({ ...base, thresholds: { critical: 80, warning: 75 } }, catalog);
    assert.match(problems.join(), /query threshold 90 differs from the critical threshold 80/);
  });

  it("refuse a warning on the wrong side of critical, for either direction", () => {
    assert.match(checkMonitorSpec({ ...base, thresholds: { critical: 90, warning: 95 } }, catalog).join(), /warning 95 must be below critical 90/);
    const below = { ...base, query: "min(last_15m):min:aws.rds.free_storage_space{dbinstanceidentifier:db} < 100", thresholds: { critical: 100, warning: 50 } };
    assert.match(checkMonitorSpec(below, catalog).join(), /warning 50 must be above critical 100/);
  });

  it("refuse a query that does not parse", () => {
    assert.match(checkMonitorSpec({ ...base, query: "cpu > 90" }, catalog).join(), /does not parse/);
  });
});

describe("metric data files", () => {
  it("read CSV cells with quoted commas", () => {
    assert.deepEqual(splitCsvLine('a.b,gauge,"Tags:`x`, `y`",1'), ["a.b", "gauge", "Tags:`x`, `y`", "1"]);
  });

  it("start from Datadog's 31 YAML Airflow mappings", () => {
    const [airflow] = airflowMapperProfiles();
    assert.equal(airflow.prefix, "airflow.");
    assert.equal(airflow.mappings.length, 31);
  });
});

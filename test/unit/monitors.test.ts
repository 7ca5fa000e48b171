import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isParsed, parseMonitorQuery } from "../../constructs/datadog/monitor-query";
import { checkMonitorSpec } from "../../constructs/datadog/monitor-spec";
import { monitorMessage, slackHandle } from "../../constructs/datadog/slack-routing";
import { loadEnvironments } from "../../environments";
import { metricCatalogFor } from "../../configuration/derived/metric-catalog";
import { monitorSpecsFor, slackRoutingFor } from "../../configuration/derived/monitors";
import { validateEnvironment } from "../../environments";
import { shippedWith } from "../support/environments";

const environments = loadEnvironments(undefined);
const byName = (name: string) => {
  const env = environments.find((e) => e.name === name);
  assert.ok(env);
  return env;
};

describe("the monitors of every environment", () => {
  it("parse, trace every metric and tag to what sends it, and agree with their thresholds", () => {
    for (const env of environments) {
      const catalog = metricCatalogFor(env);
      for (const spec of monitorSpecsFor(env)) {
        assert.deepEqual(checkMonitorSpec(spec, catalog), [], `${env.name} ${spec.key}`);
        const parsed = parseMonitorQuery(spec.query);
        assert.ok(isParsed(parsed));
        for (const term of parsed.terms) assert.ok(catalog.emitters(term.metric).length > 0, `${env.name} ${spec.key} ${term.metric}`);
      }
    }
  });

  it("cover the pipeline, the cluster and the database", () => {
    const keys = monitorSpecsFor(byName("prod")).map((m) => m.key);
    for (const key of [
      "job-heartbeat-failures", "task-running-long", "task-failures", "dag-failed-high_priorities", "dag-over-budget-high_priorities",
      "dag-late-high_priorities", "dag-deadline-high_priorities",
      "scheduler-heartbeat", "executor-saturated", "pool-starvation", "dag-import-errors",
      "task-pods-pending", "tasks-node-group-at-max", "pods-oomkilled", "pods-evicted", "cluster-autoscaler-down",
      "rds-cpu", "rds-free-storage", "rds-connections", "efs-io-limit",
    ]) {
      assert.ok(keys.includes(key), key);
    }
  });

  /** The first metric term of one of prod's monitors. */
  const firstTerm = (key: string) => {
    const spec = monitorSpecsFor(byName("prod")).find((m) => m.key === key);
    assert.ok(spec, key);
    const parsed = parseMonitorQuery(spec.query);
    assert.ok(isParsed(parsed));
    return parsed.terms[0];
  };

  it("count failed tries from ti.finish by DAG and task, which Airflow 3.1.8's task runner sends for every way a try fails", () => {
    const term = firstTerm("task-failures");
    assert.equal(term.metric, "airflow.ti.finish");
    assert.deepEqual(term.groupBy, ["dag_id", "task_id"]);
    assert.ok(term.scope.includes("state:failed"));
    const sources = metricCatalogFor(byName("prod")).emitters("airflow.ti.finish").map((e) => e.source).join(" | ");
    assert.match(sources, /task_runner\.py run \(finally\)/);
  });

  it("read a long task from the scheduler's ti.running gauge over a full window", () => {
    const spec = monitorSpecsFor(byName("prod")).find((m) => m.key === "task-running-long");
    assert.ok(spec);
    assert.equal(spec.requireFullWindow, true);
    assert.match(spec.query, /^min\(last_180m\):max:airflow\.ti\.running\{env:prod,service:airflow\} by \{dag_id,task_id\} >= 1$/);
  });

  it("read DAG failures and lateness from the scheduler's dagrun timings", () => {
    assert.equal(firstTerm("dag-failed-high_priorities").metric, "airflow.dagrun.duration.failed.count");
    assert.ok(firstTerm("dag-failed-high_priorities").scope.includes("dag_id:high_priorities"));
    assert.equal(firstTerm("dag-over-budget-high_priorities").metric, "airflow.dagrun.dependency_check.count");
    assert.equal(firstTerm("dag-late-high_priorities").metric, "airflow.dagrun.duration.success.max");
  });

  it("check the deadline once a day at the environment's time of day, counting a missing success as 0", () => {
    const prod = byName("prod");
    const [dag] = prod.observability.criticalDags;
    const spec = monitorSpecsFor(prod).find((m) => m.key === "dag-deadline-high_priorities");
    assert.ok(spec && dag.finishBy);
    assert.deepEqual(spec.schedule, { rrule: "FREQ=DAILY;INTERVAL=1", time: dag.finishBy, timezone: dag.timezone });
    const term = firstTerm("dag-deadline-high_priorities");
    assert.equal(term.metric, "airflow.dagrun.duration.success.count");
    assert.equal(term.defaultZero, true);
  });

  it("derive thresholds from the environment: deadline, node maximum, max_connections", () => {
    const prod = byName("prod");
    const specs = monitorSpecsFor(prod);
    const find = (key: string) => specs.find((m) => m.key === key)?.thresholds.critical;
    assert.equal(find("dag-late-high_priorities"), 8 * 3_600_000);
    assert.equal(find("tasks-node-group-at-max"), prod.nodeGroups.tasks.maxSize);
    assert.equal(find("rds-connections"), Math.floor(prod.database.maxConnections * 0.9));
  });

  it("alert when silence means trouble: the scheduler heartbeat, the autoscaler and PgBouncer", () => {
    const noData = monitorSpecsFor(byName("dev")).filter((m) => m.notifyNoData).map((m) => m.key).sort();
    assert.deepEqual(noData, ["cluster-autoscaler-down", "pgbouncer-down", "scheduler-heartbeat"]);
  });

  it("watch PgBouncer in the Airflow namespace of the environment's cluster", () => {
    const prod = byName("prod");
    const specs = monitorSpecsFor(prod);
    const wait = specs.find((m) => m.key === "pgbouncer-client-wait");
    assert.ok(wait);
    assert.match(wait.query, new RegExp(`pgbouncer\\.pools\\.maxwait\\{kube_cluster_name:${prod.clusterName},kube_namespace:${prod.airflow.namespace}\\}`));
    const down = specs.find((m) => m.key === "pgbouncer-down");
    assert.match(String(down?.query), /kube_deployment:airflow-pgbouncer\}/);
  });
});

describe("custom monitors", () => {
  const monitor = (query: string) => ({ key: "x", name: "X", severity: "warning" as const, query, critical: 0.05, summary: "s", impact: "i", firstCheck: "f" });

  it("accept any metric of Datadog's published RDS list this database produces", () => {
    const result = validateEnvironment(shippedWith("dev", { observability: { customMonitors: [monitor("avg(last_15m):avg:aws.rds.read_latency{dbinstanceidentifier:airflow-dev} > 0.05")] } }));
    assert.ok(result.ok, JSON.stringify(!result.ok && result.problems));
  });

  it("accept a metric the environment declares, with its tags, and trace it to the declaration's reason", () => {
    const declared = { metric: "finance.rows_loaded", tags: ["dag_id"], reason: "sent by finance_close's load task through DogStatsD" };
    const input = shippedWith("dev", { observability: { declaredMetrics: [declared], customMonitors: [monitor("sum(last_1h):sum:finance.rows_loaded{env:dev} by {dag_id} < 0.05")] } });
    const result = validateEnvironment(input);
    assert.ok(result.ok, JSON.stringify(!result.ok && result.problems));
    const [emitter] = metricCatalogFor(result.config).emitters("finance.rows_loaded");
    assert.equal(emitter.declaredReason, declared.reason);
    const undeclaredTag = validateEnvironment(shippedWith("dev", { observability: { declaredMetrics: [declared], customMonitors: [monitor("sum(last_1h):sum:finance.rows_loaded{env:dev} by {table} < 0.05")] } }));
    assert.ok(!undeclaredTag.ok);
    assert.match(undeclaredTag.problems[0].allowed, /groups by table, but finance\.rows_loaded arrives without the tag table: sent by declared in observability\.declaredMetrics: sent by finance_close/);
  });
});

describe("Slack routing", () => {
  const scheduler = (name: string) => {
    const spec = monitorSpecsFor(byName(name)).find((m) => m.key === "scheduler-heartbeat");
    assert.ok(spec);
    return spec;
  };

  it("sends prod critical alerts to the critical channel and pages", () => {
    const routing = slackRoutingFor(byName("prod"));
    const message = monitorMessage(scheduler("prod"), routing);
    assert.match(message, /\{\{#is_alert\}\}[\s\S]*@slack-example-org-airflow-prod-alerts <!here>[\s\S]*\{\{\/is_alert\}\}/);
    assert.match(message, /Impact: .+/);
    assert.match(message, /First check: .+/);
    assert.match(message, /\{\{#is_recovery\}\}[\s\S]*@slack-example-org-airflow-prod-alerts/);
  });

  it("sends warnings to the warning channel without paging", () => {
    const routing = slackRoutingFor(byName("prod"));
    const pool = monitorSpecsFor(byName("prod")).find((m) => m.key === "pool-starvation");
    assert.ok(pool);
    const message = monitorMessage(pool, routing);
    assert.ok(message.includes(slackHandle(routing, "warning")));
    assert.doesNotMatch(message, /@here/);
  });

  it("never pages in dev", () => {
    const routing = slackRoutingFor(byName("dev"));
    assert.equal(routing.pageHandle, undefined);
    for (const spec of monitorSpecsFor(byName("dev"))) assert.doesNotMatch(monitorMessage(spec, routing), /@here|<!here>|@pagerduty/);
  });
});

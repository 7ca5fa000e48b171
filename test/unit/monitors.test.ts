import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { knownMetrics } from "../../constructs/datadog/metric-catalog";
import { isParsed, parseMonitorQuery } from "../../constructs/datadog/monitor-query";
import { checkMonitorSpec } from "../../constructs/datadog/monitor-spec";
import { monitorMessage, slackHandle } from "../../constructs/datadog/slack-routing";
import { loadEnvironments } from "../../environments";
import { monitorSpecsFor, slackRoutingFor } from "../../environments/derived/monitors";

const environments = loadEnvironments(undefined);
const byName = (name: string) => {
  const env = environments.find((e) => e.name === name);
  assert.ok(env);
  return env;
};

describe("the monitors of every environment", () => {
  it("parse, name only known metrics, and agree with their thresholds", () => {
    for (const env of environments) {
      for (const spec of monitorSpecsFor(env)) assert.deepEqual(checkMonitorSpec(spec, knownMetrics()), [], `${env.name} ${spec.key}`);
    }
  });

  it("cover the pipeline, the cluster and the database", () => {
    const keys = monitorSpecsFor(byName("prod")).map((m) => m.key);
    for (const key of [
      "job-heartbeat-failures", "task-ongoing-duration", "task-failures", "dag-failed-high_priorities", "dag-deadline-high_priorities",
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

  it("count task failures from airflow.ti.finish with state:failed, which KubernetesExecutor emits", () => {
    const term = firstTerm("task-failures");
    assert.equal(term.metric, "airflow.ti.finish");
    assert.ok(term.scope.includes("state:failed"));
    assert.deepEqual(term.groupBy, ["dag_id", "task_id"]);
  });

  it("read failures from a metric KubernetesExecutor emits", () => {
    const term = firstTerm("dag-failed-high_priorities");
    assert.equal(term.metric, "airflow.dagrun.duration.failed");
    assert.ok(term.scope.includes("dag_id:high_priorities"));
  });

  it("derive thresholds from the environment: deadline, node maximum, max_connections", () => {
    const prod = byName("prod");
    const specs = monitorSpecsFor(prod);
    const find = (key: string) => specs.find((m) => m.key === key)?.thresholds.critical;
    assert.equal(find("dag-deadline-high_priorities"), 8 * 3600);
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

describe("Slack routing", () => {
  const scheduler = (name: string) => {
    const spec = monitorSpecsFor(byName(name)).find((m) => m.key === "scheduler-heartbeat");
    assert.ok(spec);
    return spec;
  };

  it("sends prod critical alerts to the critical channel and pages", () => {
    const routing = slackRoutingFor(byName("prod"));
    const message = monitorMessage(scheduler("prod"), routing);
    assert.match(message, /\{\{#is_alert\}\}[\s\S]*@slack-example-org-airflow-prod-alerts @here[\s\S]*\{\{\/is_alert\}\}/);
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
    for (const spec of monitorSpecsFor(byName("dev"))) assert.doesNotMatch(monitorMessage(spec, routing), /@here|@pagerduty/);
  });
});

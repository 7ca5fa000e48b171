import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { dataFile } from "../../lib/data-files";
import { loadEnvironments } from "../../environments";
import { airflowValuesFor } from "../../configuration/derived/airflow-values";
import { datadogAgentValuesFor as agentValuesFor } from "../../configuration/derived/datadog-agent";
import { clusterAutoscalerValues } from "../../constructs/autoscaler/cluster-autoscaler-release";
import { loadBalancerControllerValues } from "../../constructs/ingress/load-balancer-controller-release";
import { loadChart, unreadLeaves } from "../support/helm-reads/chart-reads";

// Every value the project sets must do something: be read by a template of the pinned chart under
// the project's own settings (the matching rule is in test/support/helm-reads/chart-reads.ts).
// A value the walk cannot see read may be listed here, with the reason; nothing needs to be.

/** `path` → why the project sets it although no template of the pinned chart reads it. */
const UNREAD_ON_PURPOSE: Readonly<Record<string, string>> = {};

const airflowChart = loadChart(dataFile("airflow-chart", "chart"), dataFile("airflow-chart", "values.yaml"));
const datadogChart = loadChart(dataFile("datadog-chart"), dataFile("datadog-chart", "values.yaml"));
const environments = loadEnvironments(undefined);

const dead = (chart: typeof airflowChart, values: Record<string, unknown>) =>
  unreadLeaves(chart, values)
    .map((path) => path.join("."))
    .filter((path) => !(path in UNREAD_ON_PURPOSE));

/** A copy of `values` with `value` set at `path`. */
function planted(values: Record<string, unknown>, path: string, value: unknown): Record<string, unknown> {
  const copy = structuredClone(values);
  const names = path.split(".");
  let at = copy;
  for (const name of names.slice(0, -1)) {
    at[name] = typeof at[name] === "object" && at[name] !== null ? at[name] : {};
    at = at[name] as Record<string, unknown>;
  }
  at[names[names.length - 1]] = value;
  return copy;
}

describe("every Airflow chart value the project sets", () => {
  for (const config of environments) {
    it(`is read by a template of chart 1.19.0 in ${config.name}`, () => {
      assert.deepEqual(dead(airflowChart, airflowValuesFor(config)), []);
    });
  }

  it("lists nothing as unread on purpose without a reason", () => {
    for (const [path, reason] of Object.entries(UNREAD_ON_PURPOSE)) assert.ok(reason.length >= 20, path);
  });
});

describe("the Airflow dead-value check finds a planted dead key", () => {
  const dev = airflowValuesFor(environments[0]);
  const cases: [path: string, value: unknown, why: string][] = [
    ["triggerer.logGroomerSidecar.retentionDays", 15, "the triggerer's groomer is off"],
    ["pgbouncer.maxClientConn", 100, "the chart writes no pgbouncer.ini with configSecretName set"],
    ["workers.safeToEvict", false, "podTemplate replaces the chart's pod template"],
    ["uid", 50000, "securityContexts.pod decides every pod's user"],
    ["scheduler.logGroomerSidecar.retentionDays", 15, "the scheduler's groomer is off"],
    ["dagProcessor.notAValue", 1, "no template reads it at all"],
  ];
  for (const [path, value, why] of cases) {
    it(`${path} (${why})`, () => {
      assert.deepEqual(dead(airflowChart, planted(dev, path, value)), [path]);
    });
  }

  it("and sees the same keys read once their settings are on", () => {
    assert.deepEqual(dead(airflowChart, planted(planted(dev, "triggerer.logGroomerSidecar.enabled", true), "triggerer.logGroomerSidecar.retentionDays", 15)), []);
    const withoutTemplate = planted(dev, "workers.safeToEvict", false);
    delete withoutTemplate.podTemplate;
    assert.deepEqual(dead(airflowChart, withoutTemplate), []);
    const chartIni = planted(dev, "pgbouncer.maxClientConn", 100);
    delete (chartIni.pgbouncer as Record<string, unknown>).configSecretName;
    assert.deepEqual(dead(airflowChart, chartIni), []);
  });
});

describe("every Datadog chart value the project sets", () => {
  for (const config of environments) {
    it(`is read by a template or sub-chart condition of chart 3.240.0 in ${config.name}`, () => {
      assert.deepEqual(dead(datadogChart, agentValuesFor(config)), []);
    });
  }

  it("the check finds a planted dead key, and sees it read once its setting is on", () => {
    const values = agentValuesFor(environments[0]);
    assert.deepEqual(dead(datadogChart, planted(values, "clusterAgent.metricsProvider.service.port", 8443)), ["clusterAgent.metricsProvider.service.port"]);
    assert.deepEqual(dead(datadogChart, planted(values, "clusterChecksRunner.replicas", 3)), ["clusterChecksRunner.replicas"]);
    const provider = planted(planted(values, "clusterAgent.metricsProvider.enabled", true), "clusterAgent.metricsProvider.service.port", 8443);
    assert.deepEqual(dead(datadogChart, provider), []);
  });
});

describe("every value the project gives the kube-system controllers' charts", () => {
  const autoscalerChart = loadChart(dataFile("cluster-autoscaler-chart"), dataFile("cluster-autoscaler-chart", "values.yaml"));
  const controllerChart = loadChart(dataFile("aws-load-balancer-controller"), dataFile("aws-load-balancer-controller", "values.yaml"));
  const autoscaler = clusterAutoscalerValues({ clusterName: "airflow-test", region: "eu-west-1", kubernetesVersion: "1.35", roleArn: "arn:aws:iam::111111111111:role/ca" });
  const controller = loadBalancerControllerValues({ clusterName: "airflow-test", region: "eu-west-1", vpcId: "vpc-0123456789abcdef0", roleArn: "arn:aws:iam::111111111111:role/lbc" });

  it("is read by a template of the Cluster Autoscaler chart 9.59.0", () => {
    assert.deepEqual(dead(autoscalerChart, autoscaler), []);
    assert.deepEqual(dead(autoscalerChart, planted(autoscaler, "rbac.serviceAccount.automountServiceAccountToken", false)), [], "a key the chart reads");
    assert.deepEqual(dead(autoscalerChart, planted(autoscaler, "rbac.serviceAccount.bogus", 1)), ["rbac.serviceAccount.bogus"]);
  });

  it("is read by a template of the Load Balancer Controller chart 3.5.0", () => {
    assert.deepEqual(dead(controllerChart, controller), []);
    assert.deepEqual(dead(controllerChart, planted(controller, "webhookBogus", 1)), ["webhookBogus"]);
  });
});

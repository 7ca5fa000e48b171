import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parse } from "yaml";
import { ConfigError } from "../../lib/config-error";
import { App, TerraformStack } from "../../constructs/core";
import { dashboardDefinition, dashboardProblems, dashboardQueries } from "../../constructs/datadog/platform-dashboard";
import { PlatformMonitors } from "../../constructs/datadog/platform-monitors";
import { loadEnvironments } from "../../environments";
import { metricCatalogFor } from "../../configuration/derived/metric-catalog";
import { monitorContextFor, monitorSpecsFor, slackRoutingFor } from "../../configuration/derived/monitors";
import { resourcesOfType, synthesize, type StackJson } from "../support/synth";
import { tempDir } from "../support/temp";

const environments = loadEnvironments(undefined);
const synthesized = synthesize(environments);
const stackOf = (name: string): StackJson => synthesized.stackJson(name);

function monitors(env: string): Record<string, unknown>[] {
  return resourcesOfType(stackOf(`${env}-observability`), "datadog_monitor").map(([, m]) => m);
}

describe("observability stack synthesis", () => {
  it("creates one monitor per spec, tagged with env, service, team and severity, with a priority", () => {
    for (const env of environments) {
      const created = monitors(env.name);
      assert.equal(created.length, monitorSpecsFor(env).length);
      for (const monitor of created) {
        const tags = monitor.tags as string[];
        assert.ok(tags.includes(`env:${env.name}`) && tags.includes("service:airflow") && tags.includes(`team:${env.observability.team}`), JSON.stringify(tags));
        assert.match(String(monitor.priority), /^[1-5]$/);
        assert.equal(monitor.type, "query alert");
      }
    }
  });

  it("routes prod critical monitors to the critical channel with paging and renotification", () => {
    const heartbeat = monitors("prod").find((m) => String(m.name).includes("scheduler heartbeat"));
    assert.ok(heartbeat);
    assert.match(String(heartbeat.message), /@slack-example-org-airflow-prod-alerts <!here>/);
    assert.equal(heartbeat.renotify_interval, 30);
    assert.equal(heartbeat.notify_no_data, true);
    assert.equal(heartbeat.no_data_timeframe, 10);
    assert.deepEqual(heartbeat.monitor_thresholds, { critical: "1" });
  });

  it("lets a monitor that counts failures resolve on an empty window, and waits for the crawler on AWS metrics", () => {
    const failures = monitors("prod").find((m) => String(m.query).includes("airflow.ti.finish"));
    assert.ok(failures);
    assert.equal(failures.on_missing_data, "default");
    assert.equal(failures.notify_no_data, undefined);
    const rds = monitors("prod").filter((m) => String(m.query).includes(":aws."));
    assert.ok(rds.length > 0);
    for (const monitor of rds) assert.ok(Number(monitor.evaluation_delay) >= 900, String(monitor.name));
  });

  it("evaluates the deadline once a day at the DAG's time of day, without renotifying, and long-running checks on a full window", () => {
    const prod = environments.find((e) => e.name === "prod");
    assert.ok(prod);
    const [dag] = prod.observability.criticalDags;
    const deadline = monitors("prod").find((m) => String(m.name).includes("has not succeeded by"));
    assert.ok(deadline);
    assert.deepEqual(deadline.scheduling_options, {
      custom_schedule: { recurrence: { rrule: "FREQ=DAILY;INTERVAL=1", start: `2025-01-01T${dag.finishBy}:00`, timezone: dag.timezone } },
    });
    assert.equal(deadline.renotify_interval, undefined);
    assert.match(String(deadline.query), /default_zero\(sum:airflow\.dagrun\.duration\.success\.count\{env:prod,service:airflow,dag_id:high_priorities\}\) <= 0$/);
    const longTask = monitors("prod").find((m) => String(m.query).includes("airflow.ti.running"));
    assert.equal(longTask?.require_full_window, true);
    assert.equal(monitors("prod").find((m) => String(m.name).includes("scheduler heartbeat"))?.require_full_window, false);
  });

  it("never pages from dev", () => {
    for (const monitor of monitors("dev")) assert.doesNotMatch(String(monitor.message), /@here/);
  });

  it("declares every channel the monitors mention in Datadog's Slack integration", () => {
    for (const env of environments) {
      const declared = resourcesOfType(stackOf(`${env.name}-observability`), "datadog_integration_slack_channel").map(([, c]) => c.channel_name);
      const routing = slackRoutingFor(env);
      for (const channel of Object.values(routing.channels)) assert.ok(declared.includes(`#${channel}`), `${env.name} #${channel}`);
    }
  });

  it("takes the Datadog keys from sensitive variables", () => {
    const stack = stackOf("prod-observability") as StackJson & { variable: Record<string, { sensitive?: boolean }> };
    assert.equal(stack.variable.datadog_api_key.sensitive, true);
    assert.equal(stack.variable.datadog_app_key.sensitive, true);
    const [datadog] = stack.provider.datadog;
    assert.equal(datadog.api_key, "${var.datadog_api_key}");
    assert.equal(datadog.app_key, "${var.datadog_app_key}");
  });
});

describe("the platform dashboard", () => {
  it("queries only metrics something sends, with the tags it uses, and lands in every observability stack", () => {
    for (const env of environments) {
      const definition = dashboardDefinition(monitorContextFor(env));
      assert.ok(dashboardQueries(definition).length >= 9);
      assert.deepEqual(dashboardProblems(env.name, "dashboard", definition, metricCatalogFor(env)), []);
      const [[, dashboard]] = resourcesOfType(stackOf(`${env.name}-observability`), "datadog_dashboard_json");
      const parsed = JSON.parse(String(dashboard.dashboard)) as { title: string; layout_type: string };
      assert.equal(parsed.title, `Airflow platform — ${env.name}`);
      assert.equal(parsed.layout_type, "ordered");
    }
  });
});

describe("the Datadog agent release", () => {
  for (const env of environments) {
    it(`${env.name}: runs the PgBouncer check with its password read from the one stats Secret the agent may read`, () => {
      const platform = stackOf(`${env.name}-platform`);
      const [, release] = resourcesOfType(platform, "helm_release").find(([, r]) => r.chart === "datadog") ?? [];
      assert.ok(release);
      const values = parse((release.values as string[])[0]) as { datadog: { secretBackend: Record<string, unknown> } };
      assert.deepEqual(values.datadog.secretBackend, {
        command: "/readsecret_multiple_providers.sh",
        enableGlobalPermissions: false,
        roles: [{ namespace: env.airflow.namespace, secrets: ["airflow-pgbouncer-stats-connection"] }],
      });
      const [, airflow] = resourcesOfType(platform, "helm_release").find(([, r]) => r.chart === "airflow") ?? [];
      assert.ok(airflow);
      const annotations = (parse((airflow.values as string[])[0]) as { pgbouncer: { podAnnotations: Record<string, string> } }).pgbouncer.podAnnotations;
      const check = JSON.parse(annotations["ad.datadoghq.com/pgbouncer.checks"]) as { pgbouncer: { instances: Record<string, unknown>[] } };
      assert.deepEqual(check.pgbouncer.instances, [
        { host: "%%host%%", port: 6543, username: "pgbouncer_stats", password: `ENC[k8s_secret@${env.airflow.namespace}/airflow-pgbouncer-stats-connection/password]` },
      ]);
      const stats = resourcesOfType(platform, "kubernetes_secret_v1").find(([, s]) => (s.metadata as Record<string, string>).name === "airflow-pgbouncer-stats-connection");
      assert.match(String((stats?.[1].data as Record<string, string>).password), /^\$\{random_password\.database-logins_pgbouncer-stats-password_[0-9A-F]+\.result\}$/);
    });

    it(`${env.name}: carries the mapper profiles, node-local DogStatsD, tags and the existing API key Secret`, () => {
      const found = resourcesOfType(stackOf(`${env.name}-platform`), "helm_release").find(([, r]) => r.chart === "datadog");
      assert.ok(found);
      const [, release] = found;
      assert.equal(release.version, "3.240.0");
      const values = parse((release.values as string[])[0]) as { datadog: Record<string, unknown>; agents: Record<string, unknown> };
      const dd = values.datadog;
      assert.equal(dd.apiKeyExistingSecret, env.observability.apiKeySecretName);
      assert.equal(dd.apiKey, undefined);
      assert.deepEqual(dd.tags, [`env:${env.name}`, "service:airflow"]);
      assert.deepEqual(dd.dogstatsd, { port: 8125, useHostPort: true, nonLocalTraffic: true, tags: [`env:${env.name}`, "service:airflow"] });
      assert.equal((dd.kubeStateMetricsCore as Record<string, unknown>).enabled, true);
      const mapper = (dd.env as { name: string; value: string }[]).find((e) => e.name === "DD_DOGSTATSD_MAPPER_PROFILES");
      assert.ok(mapper);
      const profiles = JSON.parse(mapper.value) as { mappings: { name: string }[] }[];
      assert.deepEqual(profiles[0].mappings.map((m) => m.name), ["airflow.job.start", "airflow.job.end", "airflow.job.heartbeat.failure", "airflow.dag_processing.last_run.seconds_ago", "airflow.scheduler.tasks.starving"]);
      assert.deepEqual(values.agents.tolerations, [{ key: "airflow-platform/tasks", operator: "Exists", effect: "NoSchedule" }]);
    });
  }
});

describe("a monitor on a metric nothing sends", () => {
  it("fails construction with the environment, the monitor's path and the metric", () => {
    const [dev] = loadEnvironments("dev");
    const [spec] = monitorSpecsFor(dev);
    const stack = new TerraformStack(new App({ outdir: tempDir("bad-monitor") }), "dev-observability");
    assert.throws(
      () =>
        new PlatformMonitors(stack, "monitors", {
          environment: "dev",
          monitors: [{ ...spec, query: spec.query.replace("airflow.job.heartbeat.failure", "airflow.job.heartbeat.failures") }],
          catalog: metricCatalogFor(dev),
          routing: slackRoutingFor(dev),
        }),
      (error: unknown) =>
        error instanceof ConfigError &&
        error.problems[0].environment === "dev" &&
        error.problems[0].constructPath === `dev-observability/monitors/${spec.key}` &&
        /airflow\.job\.heartbeat\.failures is not sent on this platform: nothing this platform runs sends it/.test(error.problems[0].allowed),
    );
  });
});

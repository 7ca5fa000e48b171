import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SAFE_TO_EVICT_ANNOTATION } from "../../constructs/airflow/pod-mutation-hook";
import { breakGlassUserArgs } from "../../constructs/airflow/break-glass-admin";
import { validateAirflowValues } from "../../constructs/airflow/values-schema";
import { loadEnvironments, validateEnvironment } from "../../environments";
import { airflowValuesFor } from "../../configuration/derived/airflow-values";
import { shippedWith } from "../support/environments";

type Values = Record<string, Record<string, unknown>>;
const environments = loadEnvironments(undefined);
const valuesOf = (name: string) => {
  const config = environments.find((e) => e.name === name);
  assert.ok(config);
  return { config, values: airflowValuesFor(config) as Values };
};

describe("Airflow chart values", () => {
  it("validate against the chart's own schema in every environment", () => {
    for (const env of environments) assert.deepEqual(validateAirflowValues(airflowValuesFor(env)), [], env.name);
  });

  it("run KubernetesExecutor on RDS through PgBouncer, with no built-in database or secrets in values", () => {
    const { config, values } = valuesOf("prod");
    assert.equal(values.executor as unknown, "KubernetesExecutor");
    assert.equal(values.postgresql.enabled, false);
    assert.equal(values.data.metadataSecretName, "airflow-metadata-connection");
    assert.equal(values.data.metadataConnection, undefined);
    // securityContexts.pod decides every pod's user; the chart reads uid/gid only without it.
    assert.equal(values.uid, undefined);
    assert.equal(values.gid, undefined);
    assert.equal(values.pgbouncer.enabled, true);
    assert.equal(values.pgbouncer.replicas, config.airflow.pgbouncer.replicas);
    assert.equal(values.pgbouncer.configSecretName, "airflow-pgbouncer-config");
    // Read only when the chart writes pgbouncer.ini itself, which configSecretName turns off.
    for (const dead of ["maxClientConn", "metadataPoolSize", "resultBackendPoolSize", "auth_type"]) assert.equal(values.pgbouncer[dead], undefined, dead);
    assert.equal(values.fernetKeySecretName as unknown, "airflow-fernet-key");
    assert.equal(values.fernetKey, undefined);
    assert.equal(values.apiSecretKeySecretName as unknown, "airflow-api-secret-key");
    assert.equal(values.jwtSecretName as unknown, "airflow-jwt-secret");
  });

  it("sync DAGs over SSH with a key from a Secret and pinned known hosts", () => {
    const { config, values } = valuesOf("dev");
    const gitSync = (values.dags.gitSync ?? {}) as Record<string, unknown>;
    assert.equal(gitSync.enabled, true);
    assert.equal(gitSync.repo, config.airflow.gitSync.repository);
    assert.equal(gitSync.sshKeySecret, "airflow-git-ssh-key");
    assert.equal(gitSync.sshKey, undefined);
    assert.match(String(gitSync.knownHosts), /^github\.com ssh-ed25519 /);
    assert.equal(gitSync.period, "60s");
  });

  it("keep task logs on the EFS claim", () => {
    assert.deepEqual(valuesOf("dev").values.logs.persistence, { enabled: true, existingClaim: "airflow-logs" });
  });

  it("give every pod Airflow launches task placement through the pod mutation hook", () => {
    const hook = String(valuesOf("prod").values.airflowLocalSettings);
    assert.match(hook, /def pod_mutation_hook/);
    assert.ok(hook.includes(SAFE_TO_EVICT_ANNOTATION));
    assert.ok(hook.includes('"airflow-platform/tasks"'));
  });

  it("run two schedulers and API servers spread over zones in prod, one of each in dev, all on system nodes", () => {
    const prod = valuesOf("prod").values;
    const dev = valuesOf("dev").values;
    for (const component of ["scheduler", "apiServer"]) {
      assert.equal(prod[component].replicas, 2);
      assert.equal((prod[component].podDisruptionBudget as Record<string, unknown>).enabled, true);
      const spread = prod[component].topologySpreadConstraints as Record<string, unknown>[];
      assert.equal(spread[0].topologyKey, "topology.kubernetes.io/zone");
      assert.equal(dev[component].replicas, 1);
      assert.deepEqual(prod[component].nodeSelector, { "airflow-platform/pool": "system" });
      assert.ok(prod[component].resources);
    }
  });

  it("send StatsD to the node's Datadog agent, with the chart's exporter off", () => {
    const { values } = valuesOf("dev");
    assert.equal(values.statsd.enabled, false);
    const metrics = (values.config.metrics ?? {}) as Record<string, string>;
    assert.equal(metrics.statsd_on, "True");
    assert.equal(metrics.statsd_port, "8125");
    assert.match(String(values.extraEnv), /AIRFLOW__METRICS__STATSD_HOST[\s\S]*fieldPath: status\.hostIP/);
    // Airflow 3 reads StatsD settings from [metrics] only: no statsd_* left in [scheduler].
    // (A null is Helm's way of deleting the chart's default: chart-default-config.ts.)
    assert.deepEqual(Object.entries(values.config.scheduler ?? {}).filter(([key, value]) => key.startsWith("statsd") && value !== null), []);
  });

  it("turn on Airflow's DogStatsD tags on an image that has the datadog package, and block the legacy twins", () => {
    const { values } = valuesOf("prod");
    const metrics = values.config.metrics as Record<string, string>;
    assert.equal(metrics.statsd_datadog_enabled, "True");
    assert.equal(metrics.statsd_disabled_tags, "job_id,run_id");
    assert.match(metrics.metrics_block_list, /\^ti\\\.running\\\.\.\+/);
    assert.notEqual((values.images.airflow as Record<string, string>).repository, "apache/airflow");
    const plain = airflowValuesFor(loadEnvironments("dev", { dev: shippedWith("dev", { observability: { statsdClient: "statsd" } }) })[0]) as Values;
    assert.equal((plain.config.metrics as Record<string, string>).statsd_datadog_enabled, "False");
    assert.equal((plain.config.metrics as Record<string, string>).metrics_block_list, undefined);
  });

  it("install without Helm hooks, as Terraform needs", () => {
    const { values } = valuesOf("dev");
    assert.equal(values.migrateDatabaseJob.useHelmHooks, false);
    assert.equal(values.createUserJob.useHelmHooks, false);
    // The user job creates the break-glass admin from its Secret, never the chart's admin/admin.
    assert.deepEqual(values.createUserJob.args, breakGlassUserArgs());
    assert.doesNotMatch(JSON.stringify(values.createUserJob), /"-p"|"admin"/);
  });
});

describe("chart values the schema rejects", () => {
  it("name a misspelt key and its path", () => {
    const violations = validateAirflowValues({ pgbouncer: { enabled: true, maxClientconn: 100 } });
    assert.deepEqual(violations, [{ path: "pgbouncer.maxClientconn", message: "is not a property the chart's schema defines at pgbouncer" }]);
  });

  it("name a wrong type and its path", () => {
    const violations = validateAirflowValues({ scheduler: { replicas: "two" } });
    assert.deepEqual(violations, [{ path: "scheduler.replicas", message: "must be integer" }]);
  });

  it("catch a misspelt top-level key the chart's schema would let through", () => {
    assert.deepEqual(validateAirflowValues({ pgbouncr: {} }).map((v) => v.path), ["pgbouncr"]);
  });

  it("reject an environment whose chart overrides hold a typo, before synthesis", () => {
    const result = validateEnvironment(shippedWith("staging", { airflow: { chartValueOverrides: { pgbouncer: { maxClientconn: 5 } } } }));
    assert.equal(result.ok, false);
    const [problem] = result.ok ? [] : result.problems;
    assert.equal(problem.environment, "staging");
    assert.equal(problem.constructPath, "staging/staging-platform/airflow");
    assert.equal(problem.field, "airflow chart values: pgbouncer.maxClientconn");
    assert.match(problem.allowed, /not a property the chart's schema defines at pgbouncer/);
  });
});

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parse } from "yaml";
import { dataFile } from "../../lib/data-files";
import { loadEnvironments } from "../../environments";
import { airflowImageFor } from "../../configuration/derived/airflow-image";
import { airflowValuesFor } from "../../configuration/derived/airflow-values";
import { datadogAgentValuesFor as agentValuesFor } from "../../configuration/derived/datadog-agent";
import { chartCopy, helmTemplate, type Manifest } from "../support/helm";

// The chart values, rendered by real Helm (3.17.2) with the pinned charts: the objects the
// cluster would get. Each environment's Airflow release is rendered once; the dead values are
// rendered with two different settings each and must not change a byte.

interface Container {
  name: string;
  env?: { name: string; value?: string }[];
}
interface Workload extends Manifest {
  spec: { replicas?: number; ttlSecondsAfterFinished?: number; template: { spec: { containers: Container[]; initContainers?: Container[] } } };
}

const airflowChart = chartCopy(dataFile("airflow-chart", "chart"), [dataFile("airflow-chart", "values.yaml"), dataFile("airflow-chart", "values.schema.json")]);
const datadogChart = chartCopy(dataFile("datadog-chart"), []);
const environments = loadEnvironments(undefined);
const renderAirflow = (values: Record<string, unknown>) => helmTemplate(airflowChart, "airflow", "airflow", values);
const workloads = (objects: Manifest[]) => objects.filter((o): o is Workload => ["Deployment", "StatefulSet", "Job"].includes(o.kind));
const containers = (w: Workload) => [...w.spec.template.spec.containers, ...(w.spec.template.spec.initContainers ?? [])];
const envOf = (c: Container, name: string) => c.env?.find((e) => e.name === name)?.value;

/** Secrets and checksums Helm generates afresh on every render. */
const stable = (objects: Manifest[]) => JSON.stringify(objects).replace(/"(connection|token|install_id|install_time|checksum\/[\w-]+)":"[^"]*"/g, '"$1":"X"');

for (const config of environments) {
  describe(`Helm renders ${config.name}'s Airflow release`, () => {
    const values = airflowValuesFor(config);
    const objects = renderAirflow(values);
    const configMap = objects.find((o) => o.kind === "ConfigMap" && o.metadata.name === "airflow-config") as (Manifest & { data: Record<string, string> }) | undefined;

    it("with the project's task pod template, byte for byte, and none of Airflow's keys in it", () => {
      assert.ok(configMap);
      const template = configMap.data["pod_template_file.yaml"];
      assert.deepEqual(parse(template), parse(String(values.podTemplate)));
      for (const key of ["FERNET", "SQL_ALCHEMY", "SECRET_KEY", "JWT", "metadata-connection"]) assert.ok(!template.includes(key), key);
    });

    it("with new DAGs unpaused and StatsD on in the airflow.cfg task pods mount", () => {
      const cfg = configMap?.data["airflow.cfg"] ?? "";
      assert.match(cfg, /^\s*dags_are_paused_at_creation = False$/m);
      assert.match(cfg, /\[metrics\][^[]*statsd_on = True/);
    });

    it("with one log groomer, the dag processor's, keeping the environment's retention", () => {
      const groomers = workloads(objects).flatMap((w) => containers(w).filter((c) => c.name.includes("log-groomer")).map((c) => ({ workload: w.metadata.name, replicas: w.spec.replicas, days: envOf(c, "AIRFLOW__LOG_RETENTION_DAYS") })));
      assert.deepEqual(groomers, [{ workload: "airflow-dag-processor", replicas: 1, days: String(config.logStorage.retentionDays) }]);
    });

    it("with every git-sync container on the environment's branch through GITSYNC_REF, the v3 variables empty", () => {
      const syncs = workloads(objects).flatMap((w) => containers(w).filter((c) => c.name.startsWith("git-sync")));
      assert.ok(syncs.length >= 2);
      for (const c of syncs) {
        assert.equal(envOf(c, "GITSYNC_REF"), config.airflow.gitSync.branch, c.name);
        assert.equal(envOf(c, "GIT_SYNC_BRANCH"), "", c.name);
        assert.equal(envOf(c, "GIT_SYNC_REV"), "", c.name);
      }
    });

    it("with every Airflow container, job and task pod on the environment's own image from its ECR", () => {
      const image = airflowImageFor(config);
      const reference = `${image.repository}:${image.tag}`;
      assert.match(image.repository, new RegExp(`^${config.account.id}\\.dkr\\.ecr\\.${config.account.region}\\.amazonaws\\.com/airflow-${config.name}/airflow$`));
      const airflowContainers = workloads(objects)
        .filter((w) => w.metadata.name.startsWith("airflow-") && w.metadata.name !== "airflow-pgbouncer")
        .flatMap((w) => containers(w).filter((c) => !c.name.startsWith("git-sync")).map((c) => [`${w.metadata.name}/${c.name}`, (c as Container & { image: string }).image]));
      assert.ok(airflowContainers.length >= 8, JSON.stringify(airflowContainers));
      for (const [name, used] of airflowContainers) assert.equal(used, reference, name);
      // The KubernetesExecutor builds each task pod's image from these, not from the template.
      const cfg = configMap?.data["airflow.cfg"] ?? "";
      assert.match(cfg, new RegExp(`\\[kubernetes_executor\\][^[]*worker_container_repository = ${image.repository.replaceAll(".", "\\.")}\\n[^[]*worker_container_tag = ${image.tag}\\n`));
    });

    it("with a user Job and a migration Job that are deleted when they finish", () => {
      const jobs = workloads(objects).filter((w) => w.kind === "Job");
      assert.deepEqual(jobs.map((j) => [j.metadata.name, j.spec.ttlSecondsAfterFinished]).sort(), [["airflow-create-user", 0], ["airflow-run-airflow-migrations", 0]]);
    });
  });
}

describe("Helm agrees that the values the checks call dead do nothing", () => {
  const dev = airflowValuesFor(environments[0]);
  const set = (values: Record<string, unknown>, path: string, value: unknown) => {
    const copy = structuredClone(values);
    const names = path.split(".");
    let at = copy;
    for (const name of names.slice(0, -1)) at = (at[name] ??= {}) as Record<string, unknown>;
    at[names[names.length - 1]] = value;
    return copy;
  };
  const airflowDead: [string, unknown, unknown][] = [
    ["triggerer.logGroomerSidecar.retentionDays", 15, 16],
    ["pgbouncer.maxClientConn", 100, 200],
    ["workers.safeToEvict", true, false],
    ["uid", 1, 2],
    ["scheduler.logGroomerSidecar.retentionDays", 15, 16],
  ];
  for (const [path, a, b] of airflowDead) {
    it(`Airflow ${path}`, () => {
      assert.equal(stable(renderAirflow(set(dev, path, a))), stable(renderAirflow(set(dev, path, b))));
    });
  }

  it("Datadog clusterAgent.metricsProvider.service.port, while a value the project sets does change the render", () => {
    const values = agentValuesFor(environments[0]);
    const render = (v: Record<string, unknown>) => stable(helmTemplate(datadogChart, "datadog", "datadog", v));
    assert.equal(render(set(values, "clusterAgent.metricsProvider.service.port", 8443)), render(set(values, "clusterAgent.metricsProvider.service.port", 8444)));
    assert.notEqual(render(values), render(set(values, "datadog.dogstatsd.port", 8126)));
  });
});

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parse } from "yaml";
import { SAFE_TO_EVICT_ANNOTATION } from "../../constructs/airflow/pod-mutation-hook";
import { loadEnvironments, validateEnvironment } from "../../environments";
import type { EnvironmentConfig } from "../../configuration/schema/environment-config";
import { airflowValuesFor } from "../../configuration/derived/airflow-values";
import { shippedWith } from "../support/environments";
import { TASK_POD_AFFINITY } from "../../constructs/airflow/task-pod-affinity";

// Given an environment, when its chart values are built, then the task pods the
// KubernetesExecutor starts from `podTemplate` keep everything the chart's own template gives
// them and hold none of Airflow's keys.

interface Container {
  name: string;
  image?: string;
  env?: { name: string; value?: string; valueFrom?: Record<string, Record<string, string>> }[];
  volumeMounts?: { name: string; mountPath: string; subPath?: string; readOnly?: boolean }[];
  resources?: unknown;
  securityContext?: Record<string, unknown>;
}
interface Pod {
  metadata: { annotations: Record<string, string>; labels: Record<string, string> };
  spec: {
    initContainers: Container[];
    containers: Container[];
    volumes: ({ name: string } & Record<string, Record<string, unknown>>)[];
    nodeSelector: Record<string, string>;
    tolerations: Record<string, string>[];
    affinity?: Record<string, unknown>;
    terminationGracePeriodSeconds: number;
    serviceAccountName: string;
    securityContext: Record<string, number>;
    restartPolicy: string;
  };
}

const environments = loadEnvironments(undefined);
const configOf = (name: string): EnvironmentConfig => {
  const config = environments.find((e) => e.name === name);
  assert.ok(config, name);
  return config;
};
const templateOf = (config: EnvironmentConfig) => String(airflowValuesFor(config).podTemplate);
const podOf = (config: EnvironmentConfig) => parse(templateOf(config)) as Pod;
const base = (pod: Pod) => {
  const container = pod.spec.containers.find((c) => c.name === "base");
  assert.ok(container, "the executor needs a container named base");
  return container;
};
const env = (c: Container, name: string) => c.env?.find((e) => e.name === name);
const mount = (c: Container, name: string, subPath?: string) => c.volumeMounts?.find((m) => m.name === name && m.subPath === subPath);
const volume = (pod: Pod, name: string) => pod.spec.volumes.find((v) => v.name === name);

describe("the task pod template", () => {
  it("is the project's own: podTemplate is set, so no workers.* value is read for task pods", () => {
    for (const config of environments) {
      const values = airflowValuesFor(config);
      assert.equal(typeof values.podTemplate, "string", config.name);
      // Of workers.* only the service account still renders with podTemplate set: task pods do not use it, so none is made.
      assert.deepEqual(values.workers, { serviceAccount: { create: false } }, `${config.name}: workers.* does nothing once podTemplate is set`);
      // The chart passes podTemplate through `tpl`; plain YAML passes through unchanged.
      assert.doesNotMatch(String(values.podTemplate), /\{\{/);
    }
  });

  it("gives task pods none of Airflow's keys: no metadata connection, fernet key, API secret key or JWT secret", () => {
    for (const config of environments) {
      const text = templateOf(config);
      const pod = podOf(config);
      const names = [...pod.spec.initContainers, ...pod.spec.containers].flatMap((c) => (c.env ?? []).map((e) => e.name));
      for (const key of ["AIRFLOW__CORE__FERNET_KEY", "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN", "AIRFLOW__CORE__SQL_ALCHEMY_CONN", "AIRFLOW_CONN_AIRFLOW_DB", "AIRFLOW__API__SECRET_KEY", "AIRFLOW__API_AUTH__JWT_SECRET"]) {
        assert.ok(!names.includes(key), `${config.name}: ${key} in a task pod`);
      }
      const secrets = config.airflow.secretNames;
      for (const secret of [secrets.fernetKey, secrets.apiSecretKey, secrets.jwtSecret, "airflow-metadata-connection", "airflow-pgbouncer-config"]) {
        assert.ok(!text.includes(secret), `${config.name}: the template refers to ${secret}`);
      }
      assert.deepEqual(base(pod).env?.map((e) => e.name), ["AIRFLOW_HOME", "AIRFLOW__METRICS__STATSD_HOST"]);
    }
  });

  it("runs on the tasks group with its toleration, never evicted, with the environment's requests and limits and 10 minutes' grace", () => {
    const config = configOf("prod");
    const pod = podOf(config);
    assert.deepEqual(pod.spec.nodeSelector, { "airflow-platform/pool": "tasks" });
    assert.deepEqual(pod.spec.tolerations, [{ key: "airflow-platform/tasks", operator: "Equal", value: "true", effect: "NoSchedule" }]);
    assert.equal(pod.metadata.annotations[SAFE_TO_EVICT_ANNOTATION], "false");
    const pod_ = config.airflow.taskPod;
    assert.deepEqual(base(pod).resources, {
      requests: { cpu: `${pod_.cpuMillicores}m`, memory: `${pod_.memoryMiB}Mi` },
      limits: { cpu: `${pod_.cpuLimitMillicores}m`, memory: `${pod_.memoryLimitMiB}Mi` },
    });
    assert.equal(pod.spec.terminationGracePeriodSeconds, 600);
    assert.equal(pod.spec.restartPolicy, "Never");
  });

  it("packs: task pods prefer the nodes other task pods run on (what test/helm/task-pods.test.ts checks on the pods Airflow builds)", () => {
    for (const config of environments) assert.deepEqual(podOf(config).spec.affinity, TASK_POD_AFFINITY, config.name);
  });

  it("clones the DAGs with git-sync v4 over SSH, with the deploy key and pinned known hosts, where the DAG folder is", () => {
    const config = configOf("dev");
    const pod = podOf(config);
    const [init] = pod.spec.initContainers;
    assert.match(String(init.image), /git-sync:v4\./);
    assert.equal(env(init, "GITSYNC_REF")?.value, config.airflow.gitSync.branch);
    assert.equal(env(init, "GITSYNC_REPO")?.value, config.airflow.gitSync.repository);
    assert.equal(env(init, "GITSYNC_ONE_TIME")?.value, "true");
    assert.equal(env(init, "GITSYNC_SSH_KNOWN_HOSTS")?.value, "true");
    assert.equal(env(init, "GIT_SYNC_BRANCH"), undefined, "no deprecated v3 variable can override the ref");
    assert.equal(env(init, "GIT_SYNC_REV"), undefined, "no deprecated v3 variable can override the ref");
    const keyFile = env(init, "GITSYNC_SSH_KEY_FILE")?.value;
    const hostsFile = env(init, "GITSYNC_SSH_KNOWN_HOSTS_FILE")?.value;
    assert.equal(init.volumeMounts?.find((m) => m.mountPath === keyFile)?.subPath, "gitSshKey");
    assert.deepEqual(volume(pod, "git-sync-ssh-key")?.secret, { secretName: config.airflow.gitSync.sshKeySecretName, defaultMode: 0o440 });
    // known_hosts is the chart's ConfigMap key, written from dags.gitSync.knownHosts.
    const hosts = init.volumeMounts?.find((m) => m.mountPath === hostsFile);
    assert.deepEqual([hosts?.name, hosts?.subPath], ["config", "known_hosts"]);
    // git-sync links the checkout at /git/repo; the task sees it at AIRFLOW_HOME/dags/repo, the chart's dags_folder.
    assert.equal(env(init, "GITSYNC_ROOT")?.value, "/git");
    assert.equal(env(init, "GITSYNC_LINK")?.value, "repo");
    assert.equal(init.volumeMounts?.find((m) => m.mountPath === "/git")?.name, "dags");
    assert.deepEqual(base(pod).volumeMounts?.find((m) => m.name === "dags"), { name: "dags", mountPath: "/opt/airflow/dags", readOnly: true });
    assert.deepEqual(volume(pod, "dags")?.emptyDir, {});
  });

  it("takes an HTTPS repository's credentials from its Secret and mounts no SSH key", () => {
    const input = structuredClone(shippedWith("dev", { airflow: { gitSync: { repository: "https://github.com/example-org/airflow-dags.git", credentialsSecretName: "git-credentials" } } })) as {
      airflow: { gitSync: Record<string, unknown> };
    };
    delete input.airflow.gitSync.sshKeySecretName;
    delete input.airflow.gitSync.knownHosts;
    const result = validateEnvironment(input);
    assert.ok(result.ok, JSON.stringify(!result.ok && result.problems));
    const pod = podOf(result.config);
    const [init] = pod.spec.initContainers;
    assert.deepEqual(env(init, "GITSYNC_PASSWORD")?.valueFrom, { secretKeyRef: { name: "git-credentials", key: "GITSYNC_PASSWORD" } });
    assert.equal(volume(pod, "git-sync-ssh-key"), undefined);
    assert.equal(env(init, "GITSYNC_SSH_KEY_FILE"), undefined);
  });

  it("writes task logs to the shared claim and reads Airflow's config from the chart's ConfigMap, so [metrics] and the mutation hook reach it", () => {
    const config = configOf("staging");
    const pod = podOf(config);
    const container = base(pod);
    assert.equal(mount(container, "logs")?.mountPath, "/opt/airflow/logs");
    assert.deepEqual(volume(pod, "logs")?.persistentVolumeClaim, { claimName: "airflow-logs" });
    assert.equal(mount(container, "config", "airflow.cfg")?.mountPath, "/opt/airflow/airflow.cfg");
    assert.equal(mount(container, "config", "airflow_local_settings.py")?.mountPath, "/opt/airflow/config/airflow_local_settings.py");
    assert.deepEqual(volume(pod, "config")?.configMap, { name: "airflow-config" });
    assert.deepEqual(env(container, "AIRFLOW__METRICS__STATSD_HOST")?.valueFrom, { fieldRef: { fieldPath: "status.hostIP" } });
  });

  it("runs as the task namespace's account without a token, as the image's user, with Pod Security restricted's hardening", () => {
    const pod = podOf(configOf("dev"));
    assert.equal(pod.spec.serviceAccountName, "airflow-task");
    assert.equal((pod.spec as { automountServiceAccountToken?: boolean }).automountServiceAccountToken, false);
    assert.deepEqual(pod.spec.securityContext, { runAsUser: 50000, runAsGroup: 0, fsGroup: 0, runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } });
    assert.deepEqual(base(pod).securityContext, { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } });
    // The image the chart runs everywhere else (the executor sets the same from airflow.cfg).
    const image = (airflowValuesFor(configOf("dev")).images as Record<string, Record<string, string>>).airflow;
    assert.equal(base(pod).image, `${image.repository}:${image.tag}`);
  });
});

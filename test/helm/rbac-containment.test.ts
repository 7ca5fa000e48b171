import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CHART_OBJECT_NAMES } from "../../constructs/airflow/chart-versions";
import { TASK_SERVICE_ACCOUNT } from "../../constructs/airflow/task-pod-template";
import { DATABASE_BOOTSTRAP_SERVICE_ACCOUNT } from "../../constructs/database/bootstrap-role";
import { loadEnvironments } from "../../environments";
import type { Manifest } from "../support/helm";
import { platformManifests } from "../support/platform-manifests";
import { boundServiceAccounts, can, grantsOf, POD_MAKERS, type Subject } from "../support/rbac";

// "What can this identity do?", asked of every object the platform installs: the Airflow and
// Datadog releases as Helm renders them (sub-charts included) and the stack's own objects.

const environments = platformManifests(loadEnvironments(undefined));
const key = (s: Subject) => `${s.namespace}/${s.name}`;
const podMakers = (all: readonly Manifest[], namespace: string) =>
  boundServiceAccounts(all)
    .filter((s) => POD_MAKERS.some((m) => can(s, all, "create", m.resource, namespace, m.apiGroup)))
    .map(key)
    .sort();

for (const env of environments) {
  const { config, all } = env;
  const airflowNs = config.airflow.namespace;
  const tasksNs = config.airflow.taskNamespace;
  const task: Subject = { namespace: tasksNs, name: TASK_SERVICE_ACCOUNT };
  const scheduler: Subject = { namespace: airflowNs, name: CHART_OBJECT_NAMES.schedulerServiceAccount };

  describe(`${config.name}: a task pod's identity`, () => {
    it("is the task namespace's own account, with no token mounted, in the task namespace", () => {
      const spec = env.taskPodTemplate.spec as { serviceAccountName: string; automountServiceAccountToken: boolean };
      assert.equal(env.taskPodTemplate.metadata.namespace, tasksNs);
      assert.equal(spec.serviceAccountName, TASK_SERVICE_ACCOUNT);
      assert.equal(spec.automountServiceAccountToken, false);
      const account = all.find((m) => m.kind === "ServiceAccount" && m.metadata.name === TASK_SERVICE_ACCOUNT) as (Manifest & { automountServiceAccountToken?: boolean }) | undefined;
      assert.equal(account?.metadata.namespace, tasksNs);
      assert.equal(account?.automountServiceAccountToken, false);
      // The KubernetesExecutor starts pods where airflow.cfg says, the task namespace.
      const cfg = (env.airflow.find((m) => m.kind === "ConfigMap" && m.metadata.name === CHART_OBJECT_NAMES.config) as Manifest & { data: Record<string, string> }).data["airflow.cfg"];
      assert.match(cfg, new RegExp(`\\[kubernetes_executor\\][^[]*\\nnamespace = ${tasksNs}\\n`));
    });

    it("holds no right at all: nothing in Airflow's namespace, no Secrets, no pods/exec, no pod creation", () => {
      for (const who of [task, { namespace: tasksNs, name: "default" }]) {
        assert.deepEqual(grantsOf(who, all), [], key(who));
        for (const ns of [airflowNs, tasksNs, "datadog", "kube-system"]) {
          assert.equal(can(who, all, "get", "secrets", ns), undefined);
          assert.equal(can(who, all, "create", "pods/exec", ns), undefined);
          assert.equal(can(who, all, "create", "pods", ns), undefined);
        }
      }
    });

    it("is bound to nothing, and no worker account or chart pod launcher exists", () => {
      assert.ok(!boundServiceAccounts(all).some((s) => s.namespace === tasksNs), "an account of the task namespace is bound");
      assert.ok(!all.some((m) => m.kind === "ServiceAccount" && m.metadata.name === "airflow-worker"), "airflow-worker is rendered");
      assert.ok(!all.some((m) => /pod-launcher-role/.test(m.metadata.name)), "the chart's pod launcher role is rendered");
    });
  });

  describe(`${config.name}: who may start pods`, () => {
    it("in Airflow's namespace, where the bootstrap account's IRSA role and every Secret live: nobody", () => {
      assert.deepEqual(podMakers(all, airflowNs), []);
      assert.ok(all.some((m) => m.kind === "ServiceAccount" && m.metadata.name === DATABASE_BOOTSTRAP_SERVICE_ACCOUNT && m.metadata.namespace === airflowNs));
    });

    it("in the task namespace: the scheduler alone (create, watch, patch, delete; never exec)", () => {
      assert.deepEqual(podMakers(all, tasksNs), [key(scheduler)]);
      for (const verb of ["create", "get", "list", "watch", "patch", "delete"]) assert.ok(can(scheduler, all, verb, "pods", tasksNs), verb);
      assert.equal(can(scheduler, all, "create", "pods/exec", tasksNs), undefined);
      assert.equal(can(scheduler, all, "create", "pods", airflowNs), undefined);
      assert.equal(can(scheduler, all, "get", "secrets", tasksNs), undefined);
    });

    it("the API server reads task pods' logs and nothing else of theirs", () => {
      const api: Subject = { namespace: airflowNs, name: CHART_OBJECT_NAMES.apiServerServiceAccount };
      assert.ok(can(api, all, "get", "pods/log", tasksNs));
      assert.deepEqual(grantsOf(api, all).flatMap((g) => g.resources.map((r) => `${g.namespace}:${r}:${g.verbs.join(",")}`)).sort(), [`${tasksNs}:pods/log:get`, `${tasksNs}:pods:get,list`]);
    });

    it("the DAG processor and the triggerer, which run DAG authors' code, have no right and no token", () => {
      for (const component of ["dag-processor", "triggerer"]) {
        const account = { namespace: airflowNs, name: `airflow-${component}` };
        assert.deepEqual(grantsOf(account, all), [], component);
        const sa = env.airflow.find((m) => m.kind === "ServiceAccount" && m.metadata.name === account.name) as Manifest & { automountServiceAccountToken?: boolean };
        assert.equal(sa.automountServiceAccountToken, false, component);
      }
    });
  });

  describe(`${config.name}: who may change what Airflow runs`, () => {
    it("nobody writes a ConfigMap, Secret, Role, binding or NetworkPolicy in Airflow's or the task namespace (the chart's airflow-config carries the pod mutation hook the scheduler runs)", () => {
      const writable = [
        { apiGroup: "", resource: "configmaps" },
        { apiGroup: "", resource: "secrets" },
        { apiGroup: "", resource: "serviceaccounts" },
        { apiGroup: "rbac.authorization.k8s.io", resource: "roles" },
        { apiGroup: "rbac.authorization.k8s.io", resource: "rolebindings" },
        { apiGroup: "networking.k8s.io", resource: "networkpolicies" },
      ];
      const writers = boundServiceAccounts(all).flatMap((account) =>
        [airflowNs, tasksNs].flatMap((ns) =>
          writable.flatMap(({ apiGroup, resource }) =>
            ["create", "update", "patch", "delete"].flatMap((verb) => {
              const grant = can(account, all, verb, resource, ns, apiGroup);
              return grant && grant.resourceNames.length === 0 ? [`${key(account)} ${verb} ${ns}/${resource} via ${grant.via}`] : [];
            }),
          ),
        ),
      );
      // The chart gives the cluster agent `create` on ConfigMaps cluster-wide for its own leader
      // election and cluster id (in `datadog`); a create cannot replace an existing ConfigMap, and
      // every ConfigMap Airflow mounts exists before it runs.
      // The Load Balancer Controller's ClusterRole (generated upstream, no value of the chart
      // narrows it) creates, updates and deletes ConfigMaps in every namespace: airflow-config
      // included. A fact, in docs/security.md ("What the kube-system controllers may do").
      const lbc = "ClusterRoleBinding aws-load-balancer-controller-rolebinding → ClusterRole aws-load-balancer-controller-role";
      const accepted = [airflowNs, tasksNs].flatMap((ns) => [
        `datadog/datadog-cluster-agent create ${ns}/configmaps via ClusterRoleBinding datadog-cluster-agent → ClusterRole datadog-cluster-agent`,
        ...["create", "update", "delete"].map((verb) => `kube-system/aws-load-balancer-controller ${verb} ${ns}/configmaps via ${lbc}`),
      ]);
      assert.deepEqual(writers.filter((w) => !accepted.includes(w)), []);
    });
  });

  describe(`${config.name}: who holds which Secret`, () => {
    /** Secret names each workload's containers read (env) or mount (volumes). */
    const secretsOf = (m: Manifest) => {
      const spec = (m.kind === "Pod" ? m.spec : (m.spec as { template?: { spec?: unknown } } | undefined)?.template?.spec) as
        | { containers?: { env?: { valueFrom?: { secretKeyRef?: { name: string } } }[] }[]; initContainers?: { env?: { valueFrom?: { secretKeyRef?: { name: string } } }[] }[]; volumes?: { secret?: { secretName: string } }[] }
        | undefined;
      if (!spec) return [];
      const fromEnv = [...(spec.containers ?? []), ...(spec.initContainers ?? [])].flatMap((c) => (c.env ?? []).flatMap((e) => (e.valueFrom?.secretKeyRef ? [e.valueFrom.secretKeyRef.name] : [])));
      return [...new Set([...fromEnv, ...(spec.volumes ?? []).flatMap((v) => (v.secret ? [v.secret.secretName] : []))])].sort();
    };
    const holders = (secret: string) => [...all, env.taskPodTemplate].filter((m) => secretsOf(m).includes(secret)).map((m) => m.metadata.name).sort();

    it("through the Kubernetes API in Airflow's and the task namespace: only the Datadog agent, its one named Secret", () => {
      const readers = boundServiceAccounts(all).flatMap((account) =>
        [airflowNs, tasksNs].flatMap((ns) => ["get", "list", "watch"].flatMap((verb) => {
          const grant = can(account, all, verb, "secrets", ns);
          return grant ? [`${key(account)} ${verb} ${ns} [${grant.resourceNames.join(",")}]`] : [];
        })),
      );
      const stats = env.synthesized.find((m) => m.kind === "Secret" && /pgbouncer-stats/.test(m.metadata.name))?.metadata.name;
      assert.deepEqual([...new Set(readers)].sort(), ["get", "list", "watch"].map((verb) => `datadog/datadog ${verb} ${airflowNs} [${stats}]`).sort());
    });

    it("the JWT secret: the scheduler, which signs task tokens, and the API server, which checks them; nothing that runs DAG code", () => {
      assert.deepEqual(holders(config.airflow.secretNames.jwtSecret), ["airflow-api-server", "airflow-scheduler"]);
    });

    it("a task pod: the DAG repository's deploy key in its git-sync init container, nothing else", () => {
      const key = config.airflow.gitSync.sshKeySecretName;
      assert.deepEqual(secretsOf(env.taskPodTemplate), key ? [key] : []);
    });
  });

  describe(`${config.name}: the Datadog release`, () => {
    it("installs no operator, no CRD and nothing that reads every Secret", () => {
      assert.ok(!env.datadog.some((m) => m.kind === "CustomResourceDefinition" || /operator/.test(m.metadata.name)), "operator or CRDs rendered");
      for (const account of boundServiceAccounts(env.datadog)) {
        for (const ns of [airflowNs, tasksNs, "kube-system"]) {
          const read = can(account, all, "get", "secrets", ns);
          assert.ok(!read || read.resourceNames.length > 0, `${key(account)} reads every Secret in ${ns} via ${read?.via}`);
        }
        assert.deepEqual(podMakers(all, tasksNs).filter((s) => s === key(account)), []);
      }
    });

    it("runs no system-probe (Service Discovery off)", () => {
      const containers = env.datadog.flatMap((m) => ((m.spec as { template?: { spec?: { containers?: { name: string }[] } } } | undefined)?.template?.spec?.containers ?? []).map((c) => c.name));
      assert.ok(containers.includes("agent"));
      assert.ok(!containers.includes("system-probe"), containers.join(","));
    });
  });

  describe(`${config.name}: the kube-system controllers (Cluster Autoscaler, Load Balancer Controller)`, () => {
    const autoscaler: Subject = { namespace: "kube-system", name: "cluster-autoscaler" };
    const controller: Subject = { namespace: "kube-system", name: "aws-load-balancer-controller" };

    it("are rendered and bound: their ClusterRoles are what the evaluator reads", () => {
      const bound = boundServiceAccounts(all).map(key);
      for (const who of [autoscaler, controller]) assert.ok(bound.includes(key(who)), key(who));
      assert.ok(can(autoscaler, all, "update", "nodes", "") !== undefined, "the autoscaler updates nodes");
      assert.ok(can(controller, all, "update", "ingresses/status", airflowNs, "networking.k8s.io") !== undefined, "the controller writes Ingress status");
    });

    it("read no Secret in any namespace (the controller's clusterSecretsPermissions stay off)", () => {
      for (const who of [autoscaler, controller]) {
        for (const ns of [airflowNs, tasksNs, "datadog", "kube-system"]) {
          for (const verb of ["get", "list", "watch"]) assert.equal(can(who, all, verb, "secrets", ns)?.via, undefined, `${key(who)} ${verb} secrets in ${ns}`);
        }
      }
    });

    it("start no pod and exec into none; the autoscaler evicts pods anywhere, as draining a node needs", () => {
      for (const who of [autoscaler, controller]) {
        for (const ns of [airflowNs, tasksNs]) {
          assert.equal(can(who, all, "create", "pods", ns), undefined, key(who));
          assert.equal(can(who, all, "create", "pods/exec", ns), undefined, key(who));
        }
      }
      assert.ok(can(autoscaler, all, "create", "pods/eviction", tasksNs));
      assert.equal(can(controller, all, "create", "pods/eviction", tasksNs), undefined);
    });
  });
}

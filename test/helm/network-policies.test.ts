import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loadEnvironments } from "../../environments";
import { networkPoliciesFor, POLICY_PORTS } from "../../configuration/derived/network-policies";
import { PGBOUNCER_PORT } from "../../constructs/airflow/pgbouncer-config";
import { DOGSTATSD_PORT } from "../../constructs/datadog/dogstatsd";
import type { Manifest } from "../support/helm";
import { mayReach, type Endpoint } from "../support/network-reach";
import { platformManifests } from "../support/platform-manifests";

// Who may reach whom under the NetworkPolicies the platform stack synthesizes, for pods labelled
// as Helm renders them: a task pod reaches the execution API, DNS, DogStatsD and the internet, and
// not PgBouncer, RDS, the EKS API, another node's kubelet or IMDS.

const environments = platformManifests(loadEnvironments(undefined));

/** An address `offset` into a CIDR: stand-ins for a pod, a node or RDS in the VPC. */
function addressIn(cidr: string, offset: number): string {
  const [base] = cidr.split("/");
  const n = base.split(".").reduce((acc, part) => acc * 256 + Number(part), 0) + offset;
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join(".");
}

for (const env of environments) {
  const { config } = env;
  const vpc = config.network.vpcCidr ?? "10.0.0.0/8";
  const policies = env.synthesized.filter((m) => m.kind === "NetworkPolicy");
  const podLabels = (objects: readonly Manifest[], kind: string, name: string) => {
    const workload = objects.find((o) => o.kind === kind && o.metadata.name === name) as (Manifest & { spec: { template: { metadata: { labels: Record<string, string> } } } }) | undefined;
    assert.ok(workload, `${kind} ${name} is rendered`);
    return workload.spec.template.metadata.labels;
  };
  let nextIp = 10;
  const pod = (namespace: string, labels: Record<string, string>): Endpoint => ({ kind: "pod", namespace, labels, ip: addressIn(vpc, nextIp++) });
  const host = (ip: string): Endpoint => ({ kind: "host", ip });

  const task = pod(config.airflow.taskNamespace, (env.taskPodTemplate.metadata as unknown as { labels: Record<string, string> }).labels);
  const scheduler = pod(config.airflow.namespace, podLabels(env.airflow, "Deployment", "airflow-scheduler"));
  const apiServer = pod(config.airflow.namespace, podLabels(env.airflow, "Deployment", "airflow-api-server"));
  const pgbouncer = pod(config.airflow.namespace, podLabels(env.airflow, "Deployment", "airflow-pgbouncer"));
  const dagProcessor = pod(config.airflow.namespace, podLabels(env.airflow, "Deployment", "airflow-dag-processor"));
  const agent = pod("datadog", podLabels(env.datadog, "DaemonSet", "datadog"));
  const coreDns = pod("kube-system", { "k8s-app": "kube-dns" });
  const rds = host(addressIn(vpc, 200));
  const otherNode = host(addressIn(vpc, 300));
  const eksApi = host(addressIn(vpc, 400));
  const imds = host("169.254.169.254");
  const internet = host("52.94.1.1");
  const reach = (from: Endpoint, to: Endpoint, protocol: "TCP" | "UDP", port: number) => mayReach(policies, from, to, protocol, port);

  describe(`${config.name}: NetworkPolicies`, () => {
    it("are the ones the platform builds, field for field, in the synthesized stack", () => {
      const normalize = (objects: readonly unknown[]) => JSON.parse(JSON.stringify(objects)) as unknown[];
      const byName = (a: unknown, b: unknown) => JSON.stringify(a).localeCompare(JSON.stringify(b));
      assert.deepEqual(normalize(policies).sort(byName), normalize(networkPoliciesFor(config)).sort(byName));
    });

    it("deny everything by default in each namespace the platform owns", () => {
      for (const ns of [config.airflow.namespace, config.airflow.taskNamespace, "datadog"]) {
        const deny = policies.find((p) => p.metadata.namespace === ns && p.metadata.name === "default-deny") as Manifest & { spec: { podSelector: object; policyTypes: string[] } };
        assert.deepEqual(deny.spec.podSelector, {}, ns);
        assert.deepEqual(deny.spec.policyTypes, ["Ingress", "Egress"], ns);
      }
    });

    it("task pods find the execution API from their namespace: airflow.cfg names the API server's Service with its namespace and port", () => {
      const cfg = (env.airflow.find((m) => m.kind === "ConfigMap" && m.metadata.name === "airflow-config") as Manifest & { data: Record<string, string> }).data["airflow.cfg"];
      const url = /^execution_api_server_url = (.*)$/m.exec(cfg)?.[1] ?? "";
      const service = env.airflow.find((m) => m.kind === "Service" && /api-server/.test(m.metadata.name)) as Manifest & { spec: { ports: { port: number }[] } };
      assert.equal(new URL(url).hostname, `${service.metadata.name}.${service.metadata.namespace}.svc`);
      assert.equal(Number(new URL(url).port), service.spec.ports[0].port);
      assert.equal(service.spec.ports[0].port, POLICY_PORTS.apiServer);
    });

    it("let a task pod reach the execution API, DNS, DogStatsD and the internet", () => {
      assert.ok(reach(task, apiServer, "TCP", POLICY_PORTS.apiServer), "API server");
      assert.ok(reach(task, coreDns, "UDP", 53) && reach(task, coreDns, "TCP", 53), "DNS");
      assert.ok(reach(task, otherNode, "UDP", DOGSTATSD_PORT), "DogStatsD on a node's IP");
      assert.ok(reach(task, agent, "UDP", DOGSTATSD_PORT), "DogStatsD at the agent pod");
      assert.ok(reach(task, internet, "TCP", 443) && reach(task, internet, "TCP", 22), "the internet");
    });

    it("keep a task pod from PgBouncer, RDS, the EKS API, another node's kubelet, IMDS and Airflow's other components", () => {
      assert.ok(!reach(task, pgbouncer, "TCP", PGBOUNCER_PORT), "PgBouncer");
      assert.ok(!reach(task, rds, "TCP", POLICY_PORTS.database), "RDS");
      assert.ok(!reach(task, eksApi, "TCP", 443), "the EKS API");
      assert.ok(!reach(task, otherNode, "TCP", 10250), "another node's kubelet");
      assert.ok(!reach(task, imds, "TCP", 80), "IMDS");
      assert.ok(!reach(task, scheduler, "TCP", 8793), "the scheduler");
      assert.ok(!reach(task, apiServer, "TCP", 5432), "the API server on another port");
    });

    it("give each component what it needs and no more", () => {
      assert.ok(reach(scheduler, pgbouncer, "TCP", PGBOUNCER_PORT) && reach(dagProcessor, pgbouncer, "TCP", PGBOUNCER_PORT), "Airflow to PgBouncer");
      assert.ok(reach(pgbouncer, rds, "TCP", POLICY_PORTS.database), "PgBouncer to RDS");
      assert.ok(!reach(pgbouncer, internet, "TCP", 443), "PgBouncer to the internet");
      assert.ok(reach(scheduler, eksApi, "TCP", 443), "the scheduler to the EKS API");
      assert.ok(!reach(dagProcessor, eksApi, "TCP", 443), "the DAG processor to the EKS API");
      assert.ok(!reach(dagProcessor, rds, "TCP", POLICY_PORTS.database), "the DAG processor to RDS");
      assert.ok(!reach(dagProcessor, imds, "TCP", 80), "the DAG processor to IMDS");
      assert.ok(reach(agent, pgbouncer, "TCP", PGBOUNCER_PORT), "the agent's PgBouncer check");
      assert.ok(!reach(agent, scheduler, "TCP", 8793), "the agent to the scheduler");
      assert.ok(reach(apiServer, task, "TCP", POLICY_PORTS.workerLogs), "the API server to a task's log server");
      assert.ok(!reach(dagProcessor, task, "TCP", POLICY_PORTS.workerLogs), "the DAG processor to a task pod");
      const triggerer = pod(config.airflow.namespace, podLabels(env.airflow, "Deployment", "airflow-triggerer"));
      assert.ok(reach(apiServer, triggerer, "TCP", POLICY_PORTS.triggererLogs), "the API server to the triggerer's log server");
      assert.ok(!reach(task, triggerer, "TCP", POLICY_PORTS.triggererLogs), "a task pod to the triggerer");
    });

    it("are enforced: the vpc-cni add-on runs the network policy agent", () => {
      const addons = Object.values(env.infrastructureStack.resource.aws_eks_addon ?? {});
      const cni = addons.find((a) => a.addon_name === "vpc-cni");
      assert.ok(cni, "vpc-cni add-on");
      assert.deepEqual(JSON.parse(String(cni.configuration_values)), { enableNetworkPolicy: "true" });
    });
  });
}

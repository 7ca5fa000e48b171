import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import { SecretFromSecretsManager } from "../kubernetes/secret-from-secrets-manager";
import { Release } from "@cdktf/provider-helm/lib/release";
import { stringify } from "yaml";
import { nodePoolLabels, NODE_POOL_LABEL, TASKS_TAINT } from "../cluster/node-placement";
import { Construct, type ITerraformDependable } from "../core";
import { NAMESPACE_POD_SECURITY, podSecurityAnnotations, podSecurityLabels } from "../kubernetes/pod-security";
import { DOGSTATSD_PORT } from "./dogstatsd";
import { airflowMapperProfiles, mapperProfilesEnvValue, type MapperProfile } from "./mapper-profiles";
import { SECRET_BACKEND_COMMAND } from "./pgbouncer-check";

export const DATADOG_CHART = { repository: "https://helm.datadoghq.com", chart: "datadog", version: "3.240.0" } as const;

/** The agent's own namespace: Pod Security `privileged` is confined to it. */
export const DATADOG_NAMESPACE = "datadog";

/** The node label the agent turns into a `node_pool` tag, for the node-group monitors. */
export const NODE_POOL_TAG = "node_pool";

export interface DatadogAgentReleaseProps {
  readonly environment: string;
  readonly clusterName: string;
  /** @see https://docs.datadoghq.com/getting_started/site/ */
  readonly site: string;
  /** The Secret in the `datadog` namespace with the API key under `api-key`. */
  readonly apiKeySecretName: string;
  /**
   * Where the API key is kept in Secrets Manager: the release writes `apiKeySecretName` from it in
   * its namespace before the chart, so no one creates that Secret inside the cluster.
   * @default - `apiKeySecretName` is created by hand
   */
  readonly apiKeyFromSecretsManager?: { readonly secretsManagerArn: string; readonly jsonKey?: string };
  /**
   * @default 1
   * @see https://docs.datadoghq.com/containers/cluster_agent/
   */
  readonly clusterAgentReplicas?: number;
  /**
   * Secrets the agent may read for check passwords (`ENC[k8s_secret@…]`), and nothing else.
   * @default - none: the agent reads no Secret
   * @see https://docs.datadoghq.com/agent/configuration/secrets-management/
   */
  readonly checkSecrets?: readonly { readonly namespace: string; readonly secrets: readonly string[] }[];
  /**
   * DogStatsD mapper profiles: the agent renames matching metrics and adds the tags they capture.
   * @default - every Airflow mapping from Datadog's Airflow integration
   * @see https://docs.datadoghq.com/developers/dogstatsd/dogstatsd_mapper/
   */
  readonly mapperProfiles?: readonly MapperProfile[];
}

/**
 * The agent's global tags (DD_TAGS): host tags, which Datadog applies to everything the agent
 * reports under its host name, checks and DogStatsD alike.
 */
export function agentGlobalTags(environment: string): string[] {
  return [`env:${environment}`, "service:airflow"];
}

/**
 * DD_DOGSTATSD_TAGS: the agent appends these to every DogStatsD sample it receives (datadog-agent
 * comp/dogstatsd/server parseMetricMessage, extraTags), so Airflow's metrics carry them whatever
 * happens to host tags.
 */
export function agentDogstatsdTags(environment: string): string[] {
  return agentGlobalTags(environment);
}

/**
 * Requests and limits, from the sizes Datadog's chart documents as examples in its values.yaml
 * (data/datadog-chart/values.yaml: `clusterAgent.resources` 200m/256Mi, `agents.containers.agent.resources`
 * 200m/256Mi, `…initContainers.resources` 100m/200Mi, requests equal to limits).
 * - The node agent keeps its request of 150m/256Mi, counted in every node's daemonset overhead
 *   (sizing/node-capacity.ts), and its memory limit of 512Mi (above the example: DogStatsD's
 *   buffers during a night's burst); its CPU limit is the example's 200m.
 * - Init containers run before the agents and ask less than them, so they change no pod's request.
 * The trace agent is not sized: a request on it is paid on every node (see docs/policy.md).
 */
const DATADOG_SIZES = {
  clusterAgent: { requests: { cpu: "200m", memory: "256Mi" }, limits: { cpu: "200m", memory: "256Mi" } },
  agent: { requests: { cpu: "150m", memory: "256Mi" }, limits: { cpu: "200m", memory: "512Mi" } },
  initContainers: { requests: { cpu: "100m", memory: "200Mi" }, limits: { cpu: "100m", memory: "200Mi" } },
} as const;

/**
 * Values for the official Datadog chart. DogStatsD listens on every node's port 8125 (hostPort,
 * non-local traffic on) so Airflow pods send to their own node; the agent tolerates the tasks
 * taint, or task pods on those nodes would have no agent to send to.
 * @see https://github.com/DataDog/helm-charts/tree/main/charts/datadog
 */
export function datadogAgentValues(props: DatadogAgentReleaseProps): Record<string, unknown> {
  return {
    datadog: {
      site: props.site,
      apiKeyExistingSecret: props.apiKeySecretName,
      clusterName: props.clusterName,
      tags: agentGlobalTags(props.environment),
      kubeStateMetricsEnabled: false,
      // No kubernetes_state.secret.* metrics: collecting them gives the cluster agent list/watch on
      // every Secret of the cluster, and a list returns the Secrets' data.
      kubeStateMetricsCore: { enabled: true, collectSecretMetrics: false, labelsAsTags: { node: { [NODE_POOL_LABEL]: NODE_POOL_TAG } } },
      // The pool as a host tag too, so node-level metrics (kubelet, DogStatsD) can be read per pool.
      nodeLabelsAsTags: { [NODE_POOL_LABEL]: NODE_POOL_TAG },
      dogstatsd: { port: DOGSTATSD_PORT, useHostPort: true, nonLocalTraffic: true, tags: agentDogstatsdTags(props.environment) },
      env: [{ name: "DD_DOGSTATSD_MAPPER_PROFILES", value: mapperProfilesEnvValue(props.mapperProfiles ?? airflowMapperProfiles()) }],
      // A Role per namespace for the named Secrets, not the chart's cluster-wide read of all Secrets.
      secretBackend: {
        command: SECRET_BACKEND_COMMAND,
        enableGlobalPermissions: false,
        roles: (props.checkSecrets ?? []).map((entry) => ({ namespace: entry.namespace, secrets: [...entry.secrets] })),
      },
      // Chart 3.240.0 installs the Datadog Operator (7 CRDs, a ClusterRole that reads and writes
      // Secrets cluster-wide and binds cluster roles) unless told not to; the platform runs the
      // agent from this chart, so the operator would only be a second way to the cluster's Secrets.
      operator: { enabled: false },
      // Left unset, the chart turns on Service Discovery for agents >= 7.78: a system-probe
      // container with SYS_ADMIN, SYS_PTRACE and the host's PIDs, unconfined, on every task node.
      // No monitor or dashboard of the platform reads what it collects (docs/containment.md).
      discovery: { enabled: false },
      // The AppSec injector is not used; its rules give the cluster agent create/update/delete on
      // every ConfigMap of the cluster, Airflow's airflow-config among them (airflow.cfg and the
      // pod mutation hook the scheduler runs).
      appsec: { injector: { rbac: { create: false } } },
    },
    clusterAgent: {
      enabled: true,
      replicas: props.clusterAgentReplicas ?? 1,
      nodeSelector: nodePoolLabels("system"),
      resources: DATADOG_SIZES.clusterAgent,
      containers: { initContainers: { resources: DATADOG_SIZES.initContainers } },
    },
    agents: {
      tolerations: [{ key: TASKS_TAINT.key, operator: "Exists", effect: TASKS_TAINT.effect }],
      containers: { agent: { resources: DATADOG_SIZES.agent }, initContainers: { resources: DATADOG_SIZES.initContainers } },
    },
  };
}

/** The key of the API key in the Secret the chart's `apiKeyExistingSecret` names. */
export const DATADOG_API_KEY_SECRET_KEY = "api-key";

/** The Datadog agent and cluster agent, in their own namespace. */
export class DatadogAgentRelease extends Construct {
  /** The agent's namespace, for what must wait for it (its NetworkPolicies). */
  readonly namespace: ITerraformDependable;

  constructor(scope: Construct, id: string, props: DatadogAgentReleaseProps) {
    super(scope, id);
    const security = NAMESPACE_POD_SECURITY.datadog;
    const namespace = new NamespaceV1(this, "namespace", {
      metadata: { name: DATADOG_NAMESPACE, labels: podSecurityLabels(security), annotations: podSecurityAnnotations(security) },
    });
    this.namespace = namespace;
    const apiKey = props.apiKeyFromSecretsManager
      ? new SecretFromSecretsManager(this, "api-key", {
          namespace: namespace.metadata.name,
          secretName: props.apiKeySecretName,
          key: DATADOG_API_KEY_SECRET_KEY,
          secretsManagerArn: props.apiKeyFromSecretsManager.secretsManagerArn,
          jsonKey: props.apiKeyFromSecretsManager.jsonKey,
        })
      : undefined;
    new Release(this, "release", {
      ...(apiKey ? { dependsOn: [apiKey.secret] } : {}),
      name: "datadog",
      namespace: namespace.metadata.name,
      repository: DATADOG_CHART.repository,
      chart: DATADOG_CHART.chart,
      version: DATADOG_CHART.version,
      values: [stringify(datadogAgentValues(props), { lineWidth: 0 })],
      atomic: true,
      timeout: 600,
    });
  }
}

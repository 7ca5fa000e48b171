import { nodePoolLabels, TASKS_TAINT } from "../cluster/node-placement";
import { statsdHostFromNodeIp, DOGSTATSD_PORT } from "../datadog/dogstatsd";
import { pgbouncerCheckAnnotations } from "../datadog/pgbouncer-check";
import { AIRFLOW_GID, AIRFLOW_UID } from "../storage/log-file-system";
import { stringify } from "yaml";
import type { AirflowSecretNames } from "./airflow-secrets";
import { AIRFLOW_CHART, AIRFLOW_RELEASE_NAME } from "./chart-versions";
import { PGBOUNCER_PORT, PGBOUNCER_STATS_USER } from "./pgbouncer-config";
import { pgbouncerSupervisorValues } from "./pgbouncer-supervisor";
import { podMutationHook } from "./pod-mutation-hook";

/** CPU and memory of a container, in millicores and MiB, converted to quantities in one place. */
export interface ContainerResources {
  readonly cpuMillicores: number;
  readonly memoryMiB: number;
  readonly cpuLimitMillicores: number;
  readonly memoryLimitMiB: number;
}

export function k8sResources(r: ContainerResources) {
  return {
    requests: { cpu: `${r.cpuMillicores}m`, memory: `${r.memoryMiB}Mi` },
    limits: { cpu: `${r.cpuLimitMillicores}m`, memory: `${r.memoryLimitMiB}Mi` },
  };
}

/** Sizes of Airflow's own components: small, steady, on the system node group. */
export const COMPONENT_RESOURCES = {
  scheduler: { cpuMillicores: 1000, memoryMiB: 2048, cpuLimitMillicores: 2000, memoryLimitMiB: 4096 },
  apiServer: { cpuMillicores: 500, memoryMiB: 1024, cpuLimitMillicores: 1000, memoryLimitMiB: 2048 },
  dagProcessor: { cpuMillicores: 500, memoryMiB: 1024, cpuLimitMillicores: 1000, memoryLimitMiB: 2048 },
  triggerer: { cpuMillicores: 250, memoryMiB: 512, cpuLimitMillicores: 500, memoryLimitMiB: 1024 },
  pgbouncer: { cpuMillicores: 100, memoryMiB: 128, cpuLimitMillicores: 500, memoryLimitMiB: 256 },
  gitSync: { cpuMillicores: 50, memoryMiB: 64, cpuLimitMillicores: 200, memoryLimitMiB: 256 },
  job: { cpuMillicores: 250, memoryMiB: 512, cpuLimitMillicores: 1000, memoryLimitMiB: 1024 },
} as const satisfies Record<string, ContainerResources>;

export interface AirflowValuesInput {
  readonly namespace: string;
  readonly parallelism: number;
  readonly schedulerReplicas: number;
  readonly apiServerReplicas: number;
  readonly pgbouncer: { readonly replicas: number; readonly maxClientConnections: number; readonly metadataPoolSize: number };
  readonly gitSync: {
    readonly repository: string;
    readonly branch: string;
    readonly subPath: string;
    readonly periodSeconds: number;
    readonly sshKeySecretName?: string;
    readonly knownHosts?: string;
    readonly credentialsSecretName?: string;
  };
  readonly taskPod: ContainerResources;
  readonly secretNames: AirflowSecretNames;
  readonly metadataSecretName: string;
  readonly pgbouncerConfigSecretName: string;
  readonly pgbouncerStatsSecretName: string;
  readonly logClaimName: string;
}

const systemPlacement = { nodeSelector: nodePoolLabels("system") };

/** Spread a replicated component's pods over zones, so one zone's loss leaves one running. */
function zoneSpread(component: string, replicas: number) {
  if (replicas < 2) return {};
  return {
    topologySpreadConstraints: [
      {
        maxSkew: 1,
        topologyKey: "topology.kubernetes.io/zone",
        whenUnsatisfiable: "ScheduleAnyway",
        labelSelector: { matchLabels: { component, release: AIRFLOW_RELEASE_NAME } },
      },
    ],
    podDisruptionBudget: { enabled: true, config: { maxUnavailable: 1 } },
  };
}

function gitSyncValues(git: AirflowValuesInput["gitSync"]) {
  return {
    enabled: true,
    repo: git.repository,
    branch: git.branch,
    rev: "HEAD",
    depth: 1,
    maxFailures: 3,
    subPath: git.subPath,
    period: `${git.periodSeconds}s`,
    ...(git.sshKeySecretName ? { sshKeySecret: git.sshKeySecretName } : {}),
    ...(git.knownHosts ? { knownHosts: git.knownHosts } : {}),
    ...(git.credentialsSecretName ? { credentialsSecret: git.credentialsSecretName } : {}),
    resources: k8sResources(COMPONENT_RESOURCES.gitSync),
  };
}

/**
 * Values for the official chart, a pure function of the input. No secret and no Terraform token
 * appears here: secrets are referenced by name, so the object can be validated against the
 * chart's schema as it is and diffed in review.
 */
export function airflowValues(input: AirflowValuesInput): Record<string, unknown> {
  return {
    executor: "KubernetesExecutor",
    airflowVersion: AIRFLOW_CHART.airflowVersion,
    defaultAirflowTag: AIRFLOW_CHART.airflowVersion,
    // The image runs as 50000 with group 0: the EFS access point presents every client the same way.
    uid: AIRFLOW_UID,
    gid: AIRFLOW_GID,
    securityContexts: { pod: { runAsUser: AIRFLOW_UID, runAsGroup: AIRFLOW_GID, fsGroup: AIRFLOW_GID } },
    postgresql: { enabled: false },
    redis: { enabled: false },
    statsd: { enabled: false },
    data: { metadataSecretName: input.metadataSecretName },
    fernetKeySecretName: input.secretNames.fernetKey,
    apiSecretKeySecretName: input.secretNames.apiSecretKey,
    jwtSecretName: input.secretNames.jwtSecret,
    // The chart's default job creates admin/admin; users come from the auth manager instead.
    createUserJob: { enabled: false, useHelmHooks: false, applyCustomEnv: false },
    // Helm hooks and Terraform's helm_release wait on each other (terraform-provider-helm#683).
    migrateDatabaseJob: { enabled: true, useHelmHooks: false, applyCustomEnv: false, resources: k8sResources(COMPONENT_RESOURCES.job), ...systemPlacement },
    pgbouncer: {
      enabled: true,
      replicas: input.pgbouncer.replicas,
      maxClientConn: input.pgbouncer.maxClientConnections,
      metadataPoolSize: input.pgbouncer.metadataPoolSize,
      auth_type: "scram-sha-256",
      // Our config Secret, mounted so that a rotation reaches the running PgBouncer.
      ...pgbouncerSupervisorValues(input.pgbouncerConfigSecretName),
      metricsExporterSidecar: { statsSecretName: input.pgbouncerStatsSecretName, statsSecretKey: "connection" },
      podAnnotations: pgbouncerCheckAnnotations({
        namespace: input.namespace,
        statsSecretName: input.pgbouncerStatsSecretName,
        port: PGBOUNCER_PORT,
        user: PGBOUNCER_STATS_USER,
      }),
      resources: k8sResources(COMPONENT_RESOURCES.pgbouncer),
      podDisruptionBudget: { enabled: input.pgbouncer.replicas > 1, config: { maxUnavailable: 1 } },
      ...systemPlacement,
    },
    scheduler: {
      replicas: input.schedulerReplicas,
      resources: k8sResources(COMPONENT_RESOURCES.scheduler),
      ...systemPlacement,
      ...zoneSpread("scheduler", input.schedulerReplicas),
    },
    apiServer: {
      replicas: input.apiServerReplicas,
      resources: k8sResources(COMPONENT_RESOURCES.apiServer),
      ...systemPlacement,
      ...zoneSpread("api-server", input.apiServerReplicas),
    },
    dagProcessor: { enabled: true, replicas: 1, resources: k8sResources(COMPONENT_RESOURCES.dagProcessor), ...systemPlacement },
    // Logs go to EFS, so the triggerer needs no volume of its own.
    triggerer: { replicas: 1, persistence: { enabled: false }, resources: k8sResources(COMPONENT_RESOURCES.triggerer), ...systemPlacement },
    // KubernetesExecutor task pods: the chart's pod template.
    workers: {
      safeToEvict: false,
      nodeSelector: nodePoolLabels("tasks"),
      tolerations: [{ key: TASKS_TAINT.key, operator: "Equal", value: TASKS_TAINT.value, effect: TASKS_TAINT.effect }],
      resources: k8sResources(input.taskPod),
      terminationGracePeriodSeconds: 600,
    },
    dags: { gitSync: gitSyncValues(input.gitSync) },
    logs: { persistence: { enabled: true, existingClaim: input.logClaimName } },
    // Every pod Airflow launches, executor or KubernetesPodOperator, gets task placement.
    airflowLocalSettings: podMutationHook(),
    extraEnv: stringify([statsdHostFromNodeIp()]),
    config: {
      core: { parallelism: String(input.parallelism), load_examples: "False" },
      // statsd.enabled=false would also turn these off: Airflow's metrics go to the node's agent.
      metrics: { statsd_on: "True", statsd_port: String(DOGSTATSD_PORT), statsd_prefix: "airflow" },
      scheduler: { statsd_on: "True", statsd_port: String(DOGSTATSD_PORT) },
      kubernetes_executor: { delete_worker_pods: "True", delete_worker_pods_on_failure: "False" },
      logging: { remote_logging: "False" },
    },
  };
}

import { nodePoolLabels, type TaskPoolPlacement } from "../cluster/node-placement";
import { airflowMetricsConfig } from "../datadog/airflow-metrics-config";
import type { StatsdClientKind } from "../datadog/airflow-statsd-client";
import { statsdHostFromNodeIp } from "../datadog/dogstatsd";
import { pgbouncerCheckAnnotations } from "../datadog/pgbouncer-check";
import { AIRFLOW_GID, AIRFLOW_UID } from "../storage/log-file-system";
import { stringify } from "yaml";
import { deepMerge } from "../../lib/deep-merge";
import type { AirflowSecretNames } from "./airflow-secrets";
import { DROPPED_CHART_CONFIG, NO_CELERY_BROKER } from "./chart-default-config";
import { AIRFLOW_CHART, AIRFLOW_RELEASE_NAME, GIT_SYNC_IMAGE } from "./chart-versions";
import { gitSyncChartValues, type GitSyncSettings } from "./git-sync";
import { PGBOUNCER_PORT, PGBOUNCER_STATS_USER } from "./pgbouncer-config";
import { pgbouncerSupervisorValues } from "./pgbouncer-supervisor";
import { containmentValues } from "./containment-values";
import { podMutationHook } from "./pod-mutation-hook";
import { taskPodTemplateObject } from "./task-pod-template";

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

/** How long a task may stay queued (its pod Pending) before Airflow revokes it. */
export const TASK_QUEUED_TIMEOUT_SECONDS = 3600;

/** Sizes of Airflow's own components: small, steady, on the system node group. */
export const COMPONENT_RESOURCES = {
  scheduler: { cpuMillicores: 1000, memoryMiB: 2048, cpuLimitMillicores: 2000, memoryLimitMiB: 4096 },
  apiServer: { cpuMillicores: 500, memoryMiB: 1024, cpuLimitMillicores: 1000, memoryLimitMiB: 2048 },
  dagProcessor: { cpuMillicores: 500, memoryMiB: 1024, cpuLimitMillicores: 1000, memoryLimitMiB: 2048 },
  triggerer: { cpuMillicores: 250, memoryMiB: 512, cpuLimitMillicores: 500, memoryLimitMiB: 1024 },
  /**
   * PgBouncer holds ~6 KiB per client: measured by hand, PgBouncer 1.18 with 9,950 clients waiting
   * at login used 64 MiB of RSS (4 MiB idle), so 256Mi covers the schema's largest
   * maxClientConnections (10,000) about four times over.
   */
  pgbouncer: { cpuMillicores: 100, memoryMiB: 128, cpuLimitMillicores: 500, memoryLimitMiB: 256 },
  /** The chart's PgBouncer metrics exporter sidecar, at the size its values.yaml gives as the example (`pgbouncer.metricsExporterSidecar.resources`). */
  pgbouncerExporter: { cpuMillicores: 100, memoryMiB: 128, cpuLimitMillicores: 100, memoryLimitMiB: 128 },
  gitSync: { cpuMillicores: 50, memoryMiB: 64, cpuLimitMillicores: 200, memoryLimitMiB: 256 },
  job: { cpuMillicores: 250, memoryMiB: 512, cpuLimitMillicores: 1000, memoryLimitMiB: 1024 },
  logGroomer: { cpuMillicores: 50, memoryMiB: 64, cpuLimitMillicores: 200, memoryLimitMiB: 128 },
} as const satisfies Record<string, ContainerResources>;

export interface AirflowValuesInput {
  readonly namespace: string;
  /** Where the KubernetesExecutor starts task pods (containment-values.ts). */
  readonly taskNamespace: string;
  /**
   * The image every Airflow component, job and task pod runs (`images.airflow`): with Airflow's
   * DogStatsD client on, one with the `datadog` package (constructs/airflow/airflow-image.ts).
   */
  readonly image: { readonly repository: string; readonly tag: string };
  readonly parallelism: number;
  readonly schedulerReplicas: number;
  readonly apiServerReplicas: number;
  /** Pool sizes and client limits are PgBouncer's own ini (pgbouncer-config.ts), not chart values. */
  readonly pgbouncer: { readonly replicas: number };
  readonly gitSync: GitSyncSettings;
  readonly taskPod: ContainerResources;
  /** `[core] dags_are_paused_at_creation`: whether a DAG new to Airflow starts paused. */
  readonly dagsArePausedAtCreation: boolean;
  /** Days the log groomer keeps task and component logs on the shared claim. */
  readonly logRetentionDays: number;
  readonly secretNames: AirflowSecretNames;
  readonly metadataSecretName: string;
  readonly pgbouncerConfigSecretName: string;
  readonly pgbouncerStatsSecretName: string;
  readonly logClaimName: string;
  /** Airflow's StatsD client: `dogstatsd` sends Airflow's tags, `statsd` plain names. */
  readonly statsdClient: StatsdClientKind;
  /** Every task pool (the default `tasks` among them): the pod mutation hook keeps a pool a task chose among these. */
  readonly taskPools: readonly TaskPoolPlacement[];
}

const systemPlacement = { nodeSelector: nodePoolLabels("system") };

/** Seconds a task has after SIGTERM; the Cluster Autoscaler's max-graceful-termination-sec matches. */
export const TASK_TERMINATION_GRACE_SECONDS = 600;

/** How often the one log groomer walks the shared log volume; retention is counted in days. */
export const LOG_GROOMER_FREQUENCY_MINUTES = 60;

/**
 * The one log groomer, on the dag processor (always one replica). The chart's groomer is the
 * image's `/clean-logs`: it deletes every `*.log` under the logs folder whose mtime is more than
 * `retentionDays` days old, then empty folders, every `frequencyMinutes` on the wall clock. The
 * scheduler's and triggerer's would walk the same shared claim at the same moments.
 */
function logGroomer(retentionDays: number) {
  return { enabled: true, retentionDays, frequencyMinutes: LOG_GROOMER_FREQUENCY_MINUTES, resources: k8sResources(COMPONENT_RESOURCES.logGroomer) };
}

/**
 * The schema-migration Job. Without Helm hooks (Helm hooks and Terraform's helm_release wait on
 * each other, terraform-provider-helm#683) it is a plain release object with a fixed name, and a
 * Job's pod template is immutable: an upgrade that changes it (a new image) while the finished Job
 * still exists fails. With `ttlSecondsAfterFinished: 0` Kubernetes deletes the Job as soon as it
 * finishes, so every later upgrade finds none and Helm creates it afresh (a missing object is
 * created on upgrade), running `airflow db migrate`, a no-op when the schema is current. The
 * release therefore must not wait for Jobs (Helm would look the deleted Job up and fail); it waits
 * for the Deployments, whose wait-for-migrations init containers hold them until the migration
 * has succeeded (AirflowRelease).
 */
function migrationJobValues() {
  return { enabled: true, useHelmHooks: false, applyCustomEnv: false, ttlSecondsAfterFinished: 0, resources: k8sResources(COMPONENT_RESOURCES.job), ...systemPlacement };
}

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

/**
 * Values for the official chart, a pure function of the input. No secret and no Terraform token
 * appears here: secrets are referenced by name, so the object can be validated against the
 * chart's schema as it is and diffed in review.
 */
export function airflowValues(input: AirflowValuesInput): Record<string, unknown> {
  return deepMerge(builtValues(input), containmentValues(input.namespace, input.taskNamespace, input.secretNames.jwtSecret)) as Record<string, unknown>;
}

function builtValues(input: AirflowValuesInput): Record<string, unknown> {
  return {
    executor: "KubernetesExecutor",
    airflowVersion: AIRFLOW_CHART.airflowVersion,
    // Every Airflow container, and through `[kubernetes_executor] worker_container_*` every task
    // pod. The chart's defaultAirflowRepository/Tag stay its own: with these set, nothing reads them.
    images: {
      airflow: { repository: input.image.repository, tag: input.image.tag },
      gitSync: { repository: GIT_SYNC_IMAGE.repository, tag: GIT_SYNC_IMAGE.tag },
    },
    // The image runs as 50000 with group 0: the EFS access point presents every client the same way.
    securityContexts: { pod: { runAsUser: AIRFLOW_UID, runAsGroup: AIRFLOW_GID, fsGroup: AIRFLOW_GID } },
    postgresql: { enabled: false },
    redis: { enabled: false },
    statsd: { enabled: false },
    data: { metadataSecretName: input.metadataSecretName, ...NO_CELERY_BROKER },
    fernetKeySecretName: input.secretNames.fernetKey,
    apiSecretKeySecretName: input.secretNames.apiSecretKey,
    jwtSecretName: input.secretNames.jwtSecret,
    // createUserJob (the chart's default is admin/admin) is the break-glass admin's, in api-server-access.ts.
    migrateDatabaseJob: migrationJobValues(),
    pgbouncer: {
      enabled: true,
      replicas: input.pgbouncer.replicas,
      // The chart writes no pgbouncer.ini of its own with configSecretName set: pools and limits
      // are in ours, mounted so that a rotation reaches the running PgBouncer.
      ...pgbouncerSupervisorValues(input.pgbouncerConfigSecretName),
      metricsExporterSidecar: { statsSecretName: input.pgbouncerStatsSecretName, statsSecretKey: "connection", resources: k8sResources(COMPONENT_RESOURCES.pgbouncerExporter) },
      podAnnotations: pgbouncerCheckAnnotations({
        namespace: input.namespace,
        statsSecretName: input.pgbouncerStatsSecretName,
        port: PGBOUNCER_PORT,
        user: PGBOUNCER_STATS_USER,
      }),
      resources: k8sResources(COMPONENT_RESOURCES.pgbouncer),
      // One replica gets no budget: it could never be evicted for a node drain.
      podDisruptionBudget: input.pgbouncer.replicas > 1 ? { enabled: true, config: { maxUnavailable: 1 } } : { enabled: false },
      ...systemPlacement,
    },
    scheduler: {
      replicas: input.schedulerReplicas,
      resources: k8sResources(COMPONENT_RESOURCES.scheduler),
      logGroomerSidecar: { enabled: false },
      ...systemPlacement,
      ...zoneSpread("scheduler", input.schedulerReplicas),
    },
    apiServer: {
      replicas: input.apiServerReplicas,
      resources: k8sResources(COMPONENT_RESOURCES.apiServer),
      ...systemPlacement,
      ...zoneSpread("api-server", input.apiServerReplicas),
    },
    dagProcessor: {
      enabled: true,
      replicas: 1,
      resources: k8sResources(COMPONENT_RESOURCES.dagProcessor),
      logGroomerSidecar: logGroomer(input.logRetentionDays),
      ...systemPlacement,
    },
    // Logs go to EFS, so the triggerer needs no volume of its own.
    triggerer: {
      replicas: 1,
      persistence: { enabled: false },
      resources: k8sResources(COMPONENT_RESOURCES.triggerer),
      logGroomerSidecar: { enabled: false },
      ...systemPlacement,
    },
    // KubernetesExecutor task pods: with this set the chart's own pod template, and every
    // `workers.*` value it reads, is not rendered (configmaps/configmap.yaml); task pods run as
    // the task namespace's own account (containment-values.ts).
    podTemplate: stringify(
      taskPodTemplateObject({
        image: `${input.image.repository}:${input.image.tag}`,
        gitSync: input.gitSync,
        gitSyncResources: k8sResources(COMPONENT_RESOURCES.gitSync),
        resources: k8sResources(input.taskPod),
        logClaimName: input.logClaimName,
        terminationGracePeriodSeconds: TASK_TERMINATION_GRACE_SECONDS,
      }),
      { lineWidth: 0 },
    ),
    dags: { gitSync: gitSyncChartValues(input.gitSync, k8sResources(COMPONENT_RESOURCES.gitSync)) },
    logs: { persistence: { enabled: true, existingClaim: input.logClaimName } },
    // Every pod Airflow launches, executor or KubernetesPodOperator, gets task placement.
    airflowLocalSettings: podMutationHook(input.taskPools),
    extraEnv: stringify([statsdHostFromNodeIp()]),
    // Over the chart's defaults, less those Airflow 3.1 does not read (chart-default-config.ts).
    config: mergeConfig({
      core: {
        parallelism: String(input.parallelism),
        // Airflow's default of 16 would hold the nightly DAG to 16 tasks at once whatever the
        // cluster holds: one DAG run may use every slot (parallelism is per scheduler); a DAG that
        // should take less says so with its own max_active_tasks.
        max_active_tasks_per_dag: String(input.parallelism * input.schedulerReplicas),
        load_examples: "False",
        dags_are_paused_at_creation: input.dagsArePausedAtCreation ? "True" : "False",
      },
      // A task pod waiting for a node from zero (EC2 boot, image pull) or for room at a pool's
      // maximum is a queued task: Airflow's 600 s default would revoke it and fail it on the third
      // try. An hour, while the "task pods Pending for 15 minutes" monitor has long alerted.
      scheduler: { task_queued_timeout: String(TASK_QUEUED_TIMEOUT_SECONDS) },
      metrics: airflowMetricsConfig(input.statsdClient),
      kubernetes_executor: { delete_worker_pods: "True", delete_worker_pods_on_failure: "False" },
      logging: { remote_logging: "False" },
    }),
  };
}

function mergeConfig(project: Record<string, Record<string, string>>): unknown {
  return deepMerge(DROPPED_CHART_CONFIG, project);
}

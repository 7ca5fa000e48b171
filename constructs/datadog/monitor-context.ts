/** A DAG whose lateness is critical; times of day are HH:MM in `timezone`. */
export interface CriticalDag {
  readonly dagId: string;
  readonly deadlineHours: number;
  readonly finishBy?: string;
  readonly startBy?: string;
  readonly timezone: string;
  /** RRULE BYDAY days; every day when absent. */
  readonly days?: readonly string[];
}

/** What the monitor builders need to know about one environment; plain data, no tokens. */
export interface MonitorContext {
  readonly environment: string;
  readonly clusterName: string;
  readonly airflowNamespace: string;
  /** Where task pods run (docs/containment.md): the task monitors watch it. */
  readonly taskNamespace: string;
  readonly tasksMaxNodes: number;
  readonly database: { readonly identifier: string; readonly maxConnections: number; readonly allocatedStorageGiB: number };
  /** The EFS file system's Name tag, which Datadog's AWS integration turns into `name:`. */
  readonly logFileSystemName: string;
  readonly criticalDags: readonly CriticalDag[];
  readonly longTaskHours: number;
  /** Airflow sends its own tags (dag_id, task_id, ...): its DogStatsD client is on. */
  readonly airflowTags: boolean;
}

/** Airflow's metrics carry the agent's DogStatsD tags, `env` and `service` (datadog-agent-release.ts). */
export function airflowScope(context: MonitorContext, ...extra: string[]): string {
  return [`env:${context.environment}`, "service:airflow", ...extra].join(",");
}

/** kube-state-metrics and autoscaler metrics carry the cluster name the agent is given. */
export function clusterScope(context: MonitorContext, ...extra: string[]): string {
  return [`kube_cluster_name:${context.clusterName}`, ...extra].join(",");
}

/** A Deployment with no available replica for 10 minutes, from kube-state-metrics. */
export function deploymentDownQuery(context: MonitorContext, namespace: string, deployment: string): string {
  return `max(last_10m):max:kubernetes_state.deployment.replicas_available{${clusterScope(context, `kube_namespace:${namespace}`, `kube_deployment:${deployment}`)}} < 1`;
}

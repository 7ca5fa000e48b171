import { isDeepStrictEqual } from "node:util";
import { valueAt } from "../../lib/config-error";
import type { EnvironmentConfig } from "../schema/environment-config";
import { airflowValuesFor, builtAirflowValues } from "../derived/airflow-values";
import type { EnvironmentOverrides } from "../schema/merge";
import type { RuleViolation } from "../common/rule-violation";

// Chart values a typed field sets. The typed field is what validation, derived configuration,
// capacity and monitors read, so a chart override of the same value would run one thing while
// every check assumes another: it is refused, naming the field to set instead. No waiver: the
// typed field already says it.

export interface TypedChartValue {
  /** The chart value's path, e.g. "scheduler.replicas". */
  readonly chartPath: string;
  /** The environment field that sets it. */
  readonly field: string;
  /** What reads the typed field, so what an override would silently contradict. */
  readonly readBy: string;
  /** A change of the typed field that changes the chart value (the test proves the link). */
  readonly probe: EnvironmentOverrides;
}

export const TYPED_CHART_VALUES: readonly TypedChartValue[] = [
  { chartPath: "scheduler.replicas", field: "airflow.schedulerReplicas", readBy: "max_active_tasks_per_dag, the parallelism-fits-the-pool rule and the capacity report", probe: { airflow: { schedulerReplicas: 2, parallelism: 1 } } },
  { chartPath: "apiServer.replicas", field: "airflow.apiServerReplicas", readBy: "the database connection budget", probe: { airflow: { apiServerReplicas: 3 } } },
  { chartPath: "pgbouncer.replicas", field: "airflow.pgbouncer.replicas", readBy: "the database connection budget (replicas × pool size ≤ max_connections)", probe: { airflow: { pgbouncer: { replicas: 2 } } } },
  { chartPath: "config.core.parallelism", field: "airflow.parallelism", readBy: "the parallelism-fits-the-pool rule, the task quota and the capacity report", probe: { airflow: { parallelism: 1 } } },
  { chartPath: "config.core.max_active_tasks_per_dag", field: "airflow.parallelism (× airflow.schedulerReplicas)", readBy: "one DAG run may use every slot the schedulers have", probe: { airflow: { parallelism: 1 } } },
  { chartPath: "dags.gitSync.repo", field: "airflow.gitSync.repository", readBy: "the known-hosts and placeholder checks", probe: { airflow: { gitSync: { repository: "git@github.com:acme-data/pipelines.git" } } } },
  { chartPath: "dags.gitSync.subPath", field: "airflow.gitSync.subPath", readBy: "where git-sync puts the DAGs", probe: { airflow: { gitSync: { subPath: "pipelines" } } } },
  { chartPath: "dags.gitSync.period", field: "airflow.gitSync.periodSeconds", readBy: "how often the DAGs are pulled", probe: { airflow: { gitSync: { periodSeconds: 300 } } } },
  { chartPath: "dags.gitSync.sshKeySecret", field: "airflow.gitSync.sshKeySecretName", readBy: "the Secret the platform stack writes the deploy key into", probe: { airflow: { gitSync: { sshKeySecretName: "dags-deploy-key" } } } },
  { chartPath: "dags.gitSync.knownHosts", field: "airflow.gitSync.knownHosts", readBy: "the check that known_hosts names the repository's host", probe: { airflow: { gitSync: { knownHosts: "github.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJm" } } } },
  { chartPath: "dagProcessor.logGroomerSidecar.retentionDays", field: "logStorage.retentionDays", readBy: "the EFS lifecycle and the log groomer", probe: { logStorage: { retentionDays: 45 } } },
];

/** Chart overrides of values a typed field sets. */
export function typedChartValueProblems(config: EnvironmentConfig): RuleViolation[] {
  const built = builtAirflowValues(config);
  const merged = airflowValuesFor(config);
  return TYPED_CHART_VALUES.flatMap((typed) => {
    const keys = typed.chartPath.split(".");
    const before = valueAt(built, keys);
    const after = valueAt(merged, keys);
    if (isDeepStrictEqual(before, after)) return [];
    return [
      {
        path: ["airflow", "chartValueOverrides", ...keys],
        given: after,
        allowed: `set ${typed.field} instead (now ${JSON.stringify(before)}): ${typed.readBy} read${typed.readBy.includes(",") || typed.readBy.includes(" and ") ? "" : "s"} that field, so the override would run one value while they assume another`,
      },
    ];
  });
}

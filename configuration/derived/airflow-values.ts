import { airflowValues } from "../../constructs/airflow/airflow-values";
import { AIRFLOW_RELEASE_NAME } from "../../constructs/airflow/chart-versions";
import { metadataSecretNames } from "../../constructs/airflow/metadata-connection";
import { deepMerge } from "../../lib/deep-merge";
import type { EnvironmentConfig } from "../schema/environment-config";
import { airflowImageFor } from "./airflow-image";
import { apiServerAccessValuesFor } from "./api-server-access";
import { taskPoolPlacements } from "./task-pools";

/** The log claim's name, shared by the volume construct and the chart values. */
export const LOG_CLAIM_NAME = "airflow-logs";

/**
 * An environment's complete Airflow chart values: what the project builds (the API server's
 * Ingress, login and break-glass user in their own builder), with the environment's
 * `chartValueOverrides` merged over it. Pure: used both to validate the environment
 * before synthesis and by the platform stack.
 */
export function airflowValuesFor(config: EnvironmentConfig): Record<string, unknown> {
  return deepMerge(builtAirflowValues(config), config.airflow.chartValueOverrides) as Record<string, unknown>;
}

/** The chart values the project builds, before the environment's overrides (protected-values.ts compares the two). */
export function builtAirflowValues(config: EnvironmentConfig): Record<string, unknown> {
  const airflow = config.airflow;
  const secrets = metadataSecretNames(AIRFLOW_RELEASE_NAME);
  const built = airflowValues({
    namespace: airflow.namespace,
    taskNamespace: airflow.taskNamespace,
    image: airflowImageFor(config),
    parallelism: airflow.parallelism,
    schedulerReplicas: airflow.schedulerReplicas,
    apiServerReplicas: airflow.apiServerReplicas,
    pgbouncer: { replicas: airflow.pgbouncer.replicas },
    gitSync: airflow.gitSync,
    taskPod: airflow.taskPod,
    dagsArePausedAtCreation: airflow.dagsPausedAtCreation,
    logRetentionDays: config.logStorage.retentionDays,
    secretNames: airflow.secretNames,
    metadataSecretName: secrets.metadata,
    pgbouncerConfigSecretName: secrets.pgbouncerConfig,
    pgbouncerStatsSecretName: secrets.pgbouncerStats,
    logClaimName: LOG_CLAIM_NAME,
    statsdClient: config.observability.statsdClient,
    taskPools: taskPoolPlacements(config),
  });
  return deepMerge(built, apiServerAccessValuesFor(config)) as Record<string, unknown>;
}

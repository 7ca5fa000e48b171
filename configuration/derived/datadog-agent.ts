import { AIRFLOW_RELEASE_NAME } from "../../constructs/airflow/chart-versions";
import { metadataSecretNames } from "../../constructs/airflow/metadata-connection";
import { datadogAgentValues, type DatadogAgentReleaseProps } from "../../constructs/datadog/datadog-agent-release";
import type { EnvironmentConfig } from "../schema/environment-config";
import { mapperProfilesFor } from "./metric-catalog";

/** The Datadog agent release's props for an environment: what the platform stack deploys. */
export function datadogAgentPropsFor(config: EnvironmentConfig): DatadogAgentReleaseProps {
  return {
    environment: config.name,
    clusterName: config.clusterName,
    site: config.observability.datadogSite,
    apiKeySecretName: config.observability.apiKeySecretName,
    ...(config.observability.apiKeyFromSecretsManager
      ? { apiKeyFromSecretsManager: { secretsManagerArn: config.observability.apiKeyFromSecretsManager.secretArn, jsonKey: config.observability.apiKeyFromSecretsManager.jsonKey } }
      : {}),
    clusterAgentReplicas: config.stage === "prod" ? 2 : 1,
    // The PgBouncer check's password: the one Secret the agent may read.
    checkSecrets: [{ namespace: config.airflow.namespace, secrets: [metadataSecretNames(AIRFLOW_RELEASE_NAME).pgbouncerStats] }],
    mapperProfiles: mapperProfilesFor(config),
  };
}

/** The agent chart's values for an environment, as the release is given them. */
export function datadogAgentValuesFor(config: EnvironmentConfig): Record<string, unknown> {
  return datadogAgentValues(datadogAgentPropsFor(config));
}

import { metadataSecretNames } from "../../constructs/airflow/metadata-connection";
import { datadogAgentValues } from "../../constructs/datadog/datadog-agent-release";
import type { EnvironmentConfig } from "../../environments/config";

/** The Datadog agent's chart values for an environment, as stacks/platform-stack.ts builds them. */
export function agentValuesFor(config: EnvironmentConfig): Record<string, unknown> {
  return datadogAgentValues({
    environment: config.name,
    clusterName: config.clusterName,
    site: config.observability.datadogSite,
    apiKeySecretName: config.observability.apiKeySecretName,
    clusterAgentReplicas: config.stage === "prod" ? 2 : 1,
    checkSecrets: [{ namespace: config.airflow.namespace, secrets: [metadataSecretNames("airflow").pgbouncerStats] }],
  });
}

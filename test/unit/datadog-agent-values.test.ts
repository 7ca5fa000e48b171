import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { validateAgentValues } from "../../constructs/datadog/agent-values-schema";
import { datadogAgentValues } from "../../constructs/datadog/datadog-agent-release";
import { loadEnvironments } from "../../environments";
import { datadogAgentValuesFor as agentValuesFor } from "../../configuration/derived/datadog-agent";

const props = { environment: "prod", clusterName: "airflow-prod", site: "datadoghq.eu", apiKeySecretName: "datadog-secret", clusterAgentReplicas: 2 };

describe("the Datadog agent's values", () => {
  it("validate against the chart's own values.schema.json in every environment", () => {
    for (const config of loadEnvironments(undefined)) {
      assert.deepEqual(validateAgentValues(agentValuesFor(config)), [], config.name);
    }
  });

  it("name a wrong type and an unknown enum value with their paths", () => {
    const values = datadogAgentValues(props) as { datadog: Record<string, unknown> };
    const violations = validateAgentValues({ ...values, registryMigrationMode: "sometimes", datadog: { ...values.datadog, apm: { instrumentation: { enabled: "yes" } } } });
    assert.deepEqual(violations.map((v) => v.path).sort(), ["datadog.apm.instrumentation.enabled", "registryMigrationMode"]);
  });
});

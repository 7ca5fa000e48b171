import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { shippedConfigWith } from "../support/environments";
import { resourcesOfType, synthesize } from "../support/synth";

// The Datadog API key reaches the agent with no step inside the cluster: the platform stack copies
// it from Secrets Manager into the agent's Secret, in the namespace the same apply creates, before
// the agent's release.

const ARN = "arn:aws:secretsmanager:eu-west-1:111111111111:secret:airflow-dev/datadog-api-key-AbCdEf";

describe("the Datadog API key from Secrets Manager", () => {
  const config = shippedConfigWith("dev", { observability: { apiKeyFromSecretsManager: { secretArn: ARN, jsonKey: "api_key" } } });
  const stack = synthesize([config]).stackJson(`${config.name}-platform`);
  const text = JSON.stringify(stack);

  it("is written into the Secret the chart names, in the datadog namespace the stack creates, from the secret's JSON key", () => {
    const secrets = resourcesOfType(stack, "kubernetes_secret_v1").filter(([, s]) => (s.metadata as { name: string }).name === config.observability.apiKeySecretName);
    assert.equal(secrets.length, 1, text.slice(0, 200));
    const [, secret] = secrets[0];
    const namespace = resourcesOfType(stack, "kubernetes_namespace_v1").find(([, n]) => (n.metadata as { name: string }).name === "datadog");
    assert.ok(namespace);
    assert.equal((secret.metadata as { namespace: string }).namespace, `\${kubernetes_namespace_v1.${namespace[0]}.metadata[0].name}`);
    // How the value is read is secret-from-secrets-manager.ts's business: from the secret, by its JSON key.
    const value = String((secret.data as Record<string, string>)["api-key"]);
    assert.match(value, /^\$\{.*data\.aws_secretsmanager_secret_version\.[\w-]+\.secret_string.*\}$/);
    assert.match(value, /api_key/);
    const sources = Object.values(stack.data?.aws_secretsmanager_secret_version ?? {}).map((d) => d.secret_id);
    assert.ok(sources.includes(ARN), JSON.stringify(sources));
  });

  it("exists before the agent's release", () => {
    const [[, release]] = resourcesOfType(stack, "helm_release").filter(([, r]) => r.name === "datadog");
    const secretId = resourcesOfType(stack, "kubernetes_secret_v1").find(([, s]) => (s.metadata as { name: string }).name === config.observability.apiKeySecretName)?.[0];
    assert.ok((release.depends_on as string[]).includes(`kubernetes_secret_v1.${secretId}`), JSON.stringify(release.depends_on));
  });

  it("is not made without the field (the Secret then comes from elsewhere)", () => {
    const plain = synthesize([shippedConfigWith("dev", {})]).stackJson("dev-platform");
    assert.ok(!resourcesOfType(plain, "kubernetes_secret_v1").some(([, s]) => (s.metadata as { name: string }).name === "datadog-secret"));
  });
});

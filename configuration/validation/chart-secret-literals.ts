import { valueAt } from "../../lib/config-error";
import { findSecrets, fingerprint } from "../../lib/secret-scan";
import type { EnvironmentConfig } from "../schema/environment-config";
import type { RuleViolation } from "../common/rule-violation";

// A secret written into a chart value ends up in plain text in Helm's release record and in
// Terraform's state: refused at synth, as the policy's no-secret-literals rule refuses it in the
// plan, so it never reaches either. What was given is shown as a fingerprint only.

/** "env[0].value" (the scanner's path) as keys: ["env", "0", "value"]. */
function keysOf(scannerPath: string): string[] {
  return scannerPath.split(/\.|\[(\d+)\]/).filter((k): k is string => k !== undefined && k.length > 0);
}

export function chartSecretLiteralProblems(config: EnvironmentConfig): RuleViolation[] {
  const overrides = config.airflow.chartValueOverrides;
  return findSecrets(overrides).map((finding) => {
    const keys = keysOf(finding.path);
    const value = valueAt(overrides, keys);
    return {
      path: ["airflow", "chartValueOverrides", ...keys],
      given: typeof value === "string" ? fingerprint(value) : "a literal",
      allowed:
        `no secret literal in chart values (${finding.reason}): Helm keeps values in plain text in its release record and Terraform in its state. ` +
        "Keep it in Secrets Manager or a Kubernetes Secret and reference it (a container's env valueFrom.secretKeyRef, the chart's *SecretName values)",
    };
  });
}

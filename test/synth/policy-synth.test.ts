import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loadEnvironments, validateEnvironment } from "../../environments";
import { evaluateEnvironment } from "../../policies/evaluate-environment";
import { policyTable } from "../../policies/report";
import { shippedWith } from "../support/environments";
import { synthesize } from "../support/synth";

describe("the policy suite on synthesized stacks", () => {
  it("finds a secret planted in Helm values", () => {
    const result = validateEnvironment(
      shippedWith("dev", { airflow: { chartValueOverrides: { env: [{ name: "SERVICE_TOKEN", value: "Zx8Kq2Lm9Vb4Nc7Wd1Rt5Yp3Hs6Jf0Ga" }] } } }),
    );
    assert.ok(result.ok, JSON.stringify(result));
    const synthesized = synthesize([result.config]);
    const failures = evaluateEnvironment(result.config, { stackDir: synthesized.stackDir }).filter((r) => r.status === "fail");
    assert.equal(failures.length, 1);
    assert.equal(failures[0].rule, "no-secret-literals");
    assert.match(failures[0].resource, /^dev-platform:helm_release\.airflow_release/);
    assert.match(failures[0].detail, /high-entropy string Zx8Kq2/);
  });

  it("prints a table with each failure and waiver on its own row", () => {
    const [dev] = loadEnvironments("dev");
    const synthesized = synthesize([dev]);
    const table = policyTable("dev", evaluateEnvironment(dev, { stackDir: synthesized.stackDir }));
    // The waived log groups (the control plane's, the flow logs' and the CI runner's, all kept 30
    // days in dev) and the platform's waiver of the Load Balancer Controller's upstream policy.
    assert.match(table, /^Policy: dev — \d+ checks, 0 failed, 4 waived$/m);
    assert.match(table, /iam-no-wildcard-actions\s+\S+\s+dev-infrastructure:aws_iam_role_policy\.load-balancer-controller-role\S+\s+waived: the AWS Load Balancer Controller's upstream policy/);
    assert.match(table, /log-group-encrypted-retained\s+CKV_AWS_158\/CKV_AWS_338\s+dev-infrastructure:aws_cloudwatch_log_group\.\S+\s+waived: dev logs are disposable/);
    assert.match(table, /rds-encrypted\s+CKV_AWS_16\s+1 resource\s+pass/);
  });
});

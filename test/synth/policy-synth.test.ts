import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loadEnvironments, validateEnvironment } from "../../environments";
import { evaluateEnvironment } from "../../tools/policy/evaluate-environment";
import { policyTable } from "../../tools/policy/report";
import { shippedWith } from "../support/environments";
import { synthesize } from "../support/synth";

describe("the policy suite on synthesized stacks", () => {
  it("finds a secret planted in Helm values, which validation refuses before synth", () => {
    const planted = { env: [{ name: "SERVICE_TOKEN", value: "Zx8Kq2Lm9Vb4Nc7Wd1Rt5Yp3Hs6Jf0Ga" }] };
    assert.equal(validateEnvironment(shippedWith("dev", { airflow: { chartValueOverrides: planted } })).ok, false);
    // The policy is the second line: plant the secret past validation, into a valid config.
    const result = validateEnvironment(shippedWith("dev", {}));
    assert.ok(result.ok, JSON.stringify(result));
    const config = { ...result.config, airflow: { ...result.config.airflow, chartValueOverrides: planted } };
    const synthesized = synthesize([config]);
    const failures = evaluateEnvironment(config, { stackDir: synthesized.stackDir }).filter((r) => r.status === "fail");
    assert.equal(failures.length, 1);
    assert.equal(failures[0].rule, "no-secret-literals");
    assert.match(failures[0].resource, /^dev-platform:helm_release\.airflow_release/);
    assert.match(failures[0].detail, /‹secret: 32 chars, sha256 [0-9a-f]{8}›/);
    assert.doesNotMatch(failures[0].detail, /Zx8Kq2/);
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

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { stringify } from "yaml";
import { SAFE_TO_EVICT_ANNOTATION } from "../../constructs/airflow/pod-mutation-hook";
import { loadEnvironments } from "../../environments";
import { POLICY_RULE_IDS } from "../../configuration/common/policy-rule-ids";
import { evaluatePolicies, POLICY_RULES } from "../../tools/policy/engine";
import type { ResourceView } from "../../tools/policy/types";

const [dev, prod] = loadEnvironments("dev,prod");
const KEY = "${aws_kms_key.keys_x_key_1.arn}";

function view(type: string, values: Record<string, unknown>, config: Record<string, unknown> = values): ResourceView {
  return { address: `${type}.planted`, type, stack: "prod-infrastructure", values, config };
}

function failuresOf(resources: ResourceView[], environment = prod, waivers = environment.policyWaivers) {
  return evaluatePolicies({ environment, resources }, waivers).filter((r) => r.status !== "pass");
}

const policy = (statement: Record<string, unknown>) => JSON.stringify({ Version: "2012-10-17", Statement: [statement] });

/** One planted violation per rule: the rule must fail it, naming the resource. */
const planted: [string, ResourceView[]][] = [
  ["eks-endpoint-private", [view("aws_eks_cluster", { vpc_config: [{ endpoint_private_access: true, endpoint_public_access: true, public_access_cidrs: ["0.0.0.0/0"] }], enabled_cluster_log_types: ["api", "audit", "authenticator", "controllerManager", "scheduler"] }, { encryption_config: { resources: ["secrets"], provider: { key_arn: KEY } } })]],
  ["eks-secrets-encryption", [view("aws_eks_cluster", { vpc_config: [{ endpoint_private_access: true }], enabled_cluster_log_types: ["api", "audit", "authenticator", "controllerManager", "scheduler"] }, {})]],
  ["eks-control-plane-logs", [view("aws_eks_cluster", { vpc_config: [{ endpoint_private_access: true }], enabled_cluster_log_types: ["api"] }, { encryption_config: { resources: ["secrets"], provider: { key_arn: KEY } } })]],
  ["imdsv2-required", [view("aws_launch_template", { metadata_options: [{ http_tokens: "optional", http_put_response_hop_limit: 1 }] })]],
  ["no-public-ip-nodes", [view("aws_subnet", { map_public_ip_on_launch: true })]],
  ["kms-rotation", [view("aws_kms_key", { enable_key_rotation: false }, { policy: policy({ Effect: "Allow", Principal: { AWS: "arn:aws:iam::1:root" }, Action: "kms:*", Resource: "*" }), lifecycle: { prevent_destroy: true } })]],
  ["kms-no-wildcard-principal", [view("aws_kms_key", { enable_key_rotation: true }, { policy: policy({ Effect: "Allow", Principal: { AWS: "*" }, Action: "kms:Decrypt", Resource: "*" }), lifecycle: { prevent_destroy: true } })]],
  ["log-group-encrypted-retained", [view("aws_cloudwatch_log_group", { retention_in_days: 30 }, { kms_key_id: KEY })]],
  ["rds-encrypted", [view("aws_db_instance", { storage_encrypted: false })]],
  ["rds-not-public", [view("aws_db_instance", { publicly_accessible: true })]],
  ["rds-multi-az", [view("aws_db_instance", { multi_az: false })]],
  ["rds-backups", [view("aws_db_instance", { backup_retention_period: 0 })]],
  ["rds-deletion-protection", [view("aws_db_instance", { deletion_protection: false })]],
  ["rds-log-exports", [view("aws_db_instance", { enabled_cloudwatch_logs_exports: [] })]],
  ["rds-performance-insights-cmk", [view("aws_db_instance", { performance_insights_enabled: true })]],
  ["rds-force-ssl", [view("aws_db_instance", {}), view("aws_db_parameter_group", { parameter: [{ name: "rds.force_ssl", value: "0" }] })]],
  ["rds-copy-tags", [view("aws_db_instance", { copy_tags_to_snapshot: false })]],
  ["efs-encrypted-cmk", [view("aws_efs_file_system", { encrypted: true }, {})]],
  ["efs-backed-up", [view("aws_efs_file_system", { encrypted: true }, { kms_key_id: KEY })]],
  ["security-group-described", [view("aws_security_group", { description: "" })]],
  ["no-world-ingress", [view("aws_vpc_security_group_ingress_rule", { description: "ssh", cidr_ipv4: "0.0.0.0/0", from_port: 22, to_port: 22 })]],
  ["iam-no-wildcard-actions", [view("aws_iam_role_policy", {}, { policy: policy({ Effect: "Allow", Action: "s3:*", Resource: "*" }) })]],
  ["iam-no-wildcard-actions", [view("aws_iam_role_policy", {}, { policy: policy({ Effect: "Allow", Action: ["autoscaling:SetDesiredCapacity"], Resource: "*" }) })]],
  ["iam-trust-scoped", [view("aws_iam_role", {}, { assume_role_policy: policy({ Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole" }) })]],
  ["iam-trust-scoped", [view("aws_iam_role", {}, { assume_role_policy: policy({ Effect: "Allow", Principal: { Federated: "arn:oidc" }, Action: "sts:AssumeRoleWithWebIdentity", Condition: { StringLike: { "oidc:sub": "system:serviceaccount:kube-system:*" } } }) })]],
  ["stateful-prevent-destroy", [view("aws_efs_file_system", { encrypted: true }, { kms_key_id: KEY })]],
  ["task-pods-not-evictable", [view("helm_release", {}, { chart: "airflow", values: ["workers:\n  safeToEvict: true\n"] })]],
  // The project's podTemplate decides, not workers.safeToEvict (dead once podTemplate is set).
  ["task-pods-not-evictable", [view("helm_release", {}, { chart: "airflow", values: [stringify({ workers: { safeToEvict: false }, airflowLocalSettings: SAFE_TO_EVICT_ANNOTATION, podTemplate: stringify({ metadata: { annotations: { [SAFE_TO_EVICT_ANNOTATION]: "true" } } }) })] })]],
  ["no-secret-literals", [view("kubernetes_secret_v1", {}, { data: { password: "hunter2-but-longer" } })]],
  ["sensitive-marked", [{ address: "variable.datadog_api_key", type: "variable", stack: "prod-observability", values: {}, config: { type: "string" } }]],
];

describe("each policy rule fails a planted violation", () => {
  it("covers every rule", () => {
    assert.deepEqual([...new Set(planted.map(([id]) => id))].sort(), POLICY_RULES.map((r) => r.id).sort());
  });

  it("names every rule in the ids waivers are checked against, and no other", () => {
    assert.deepEqual([...POLICY_RULE_IDS].sort(), POLICY_RULES.map((r) => r.id).sort());
  });

  for (const [rule, resources] of planted) {
    it(`${rule}`, () => {
      const failures = failuresOf(resources).filter((f) => f.rule === rule);
      assert.ok(failures.length > 0, `${rule} passed a planted violation`);
      assert.equal(failures[0].status, "fail");
      assert.match(failures[0].resource, /planted|datadog_api_key/);
      assert.ok(failures[0].detail.length > 0);
    });
  }
});

describe("stages and waivers", () => {
  it("holds only prod to Multi-AZ and only staging/prod to deletion protection", () => {
    const db = [view("aws_db_instance", { multi_az: false, deletion_protection: false })];
    const devRules = failuresOf(db, dev, []).map((f) => f.rule);
    assert.ok(!devRules.includes("rds-multi-az"));
    assert.ok(!devRules.includes("rds-deletion-protection"));
  });

  it("reports a waived failure as waived, with its reason", () => {
    const group = [view("aws_cloudwatch_log_group", { retention_in_days: 30 }, { kms_key_id: KEY })];
    const [result] = failuresOf(group, dev).filter((f) => f.rule === "log-group-encrypted-retained");
    assert.equal(result.status, "waived");
    assert.match(result.detail, /dev logs are disposable/);
  });
});

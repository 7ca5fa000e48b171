/**
 * The policy suite's rule ids, as plain data: an environment's waiver names one of these, and
 * validation checks it without importing the policy engine (policies/ reads environments/, never
 * the other way). tools/policy/engine.ts defines the rules; a test holds the two lists equal.
 */
export const POLICY_RULE_IDS: readonly string[] = [
  "security-group-described",
  "no-world-ingress",
  "iam-no-wildcard-actions",
  "iam-trust-scoped",
  "kms-no-wildcard-principal",
  "eks-endpoint-private",
  "eks-secrets-encryption",
  "eks-control-plane-logs",
  "imdsv2-required",
  "no-public-ip-nodes",
  "kms-rotation",
  "log-group-encrypted-retained",
  "rds-encrypted",
  "rds-not-public",
  "rds-multi-az",
  "rds-backups",
  "rds-deletion-protection",
  "rds-log-exports",
  "rds-performance-insights-cmk",
  "rds-force-ssl",
  "rds-copy-tags",
  "efs-encrypted-cmk",
  "efs-backed-up",
  "stateful-prevent-destroy",
  "task-pods-not-evictable",
  "no-secret-literals",
  "sensitive-marked",
];

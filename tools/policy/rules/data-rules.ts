import type { PolicyRule, ResourceView } from "../types";
import { block, list, refersTo } from "./helpers";

function parameter(groups: readonly ResourceView[], name: string): unknown {
  for (const group of groups) {
    for (const p of list(group.values.parameter)) {
      if (block(p)?.name === name) return block(p)?.value;
    }
  }
  return undefined;
}

/** The metadata database and the task-log file system. */
export const dataRules: PolicyRule[] = [
  {
    id: "rds-encrypted",
    checkov: "CKV_AWS_16",
    rationale: "Database storage is encrypted with a customer key.",
    types: ["aws_db_instance"],
    check: (r) => (r.values.storage_encrypted === true && refersTo(r, "kms_key_id", "aws_kms_key") ? undefined : "storage not encrypted with a customer KMS key"),
  },
  {
    id: "rds-not-public",
    checkov: "CKV_AWS_17",
    rationale: "The database is reachable only inside the VPC.",
    types: ["aws_db_instance"],
    check: (r) => (r.values.publicly_accessible === true ? "publicly accessible" : undefined),
  },
  {
    id: "rds-multi-az",
    checkov: "CKV_AWS_157",
    rationale: "Production keeps a standby in another zone.",
    types: ["aws_db_instance"],
    stages: ["prod"],
    check: (r) => (r.values.multi_az === true ? undefined : "not Multi-AZ"),
  },
  {
    id: "rds-backups",
    checkov: "CKV_AWS_133",
    rationale: "Automated backups are on.",
    types: ["aws_db_instance"],
    check: (r) => (Number(r.values.backup_retention_period ?? 0) >= 1 ? undefined : "no automated backups"),
  },
  {
    id: "rds-deletion-protection",
    checkov: "CKV_AWS_293",
    rationale: "Shared environments' databases cannot be deleted by a stray apply.",
    types: ["aws_db_instance"],
    stages: ["staging", "prod"],
    check: (r) => {
      if (r.values.deletion_protection !== true) return "deletion protection is off";
      return r.values.skip_final_snapshot === true ? "no final snapshot" : undefined;
    },
  },
  {
    id: "rds-log-exports",
    checkov: "CKV_AWS_129",
    rationale: "PostgreSQL logs go to CloudWatch.",
    types: ["aws_db_instance"],
    check: (r) => (list(r.values.enabled_cloudwatch_logs_exports).includes("postgresql") ? undefined : "postgresql log export is off"),
  },
  {
    id: "rds-performance-insights-cmk",
    checkov: "CKV_AWS_353/CKV_AWS_354",
    rationale: "Performance Insights is on and encrypted with a customer key.",
    types: ["aws_db_instance"],
    check: (r) => (r.values.performance_insights_enabled === true && refersTo(r, "performance_insights_kms_key_id", "aws_kms_key") ? undefined : "Performance Insights off or not on a customer key"),
  },
  {
    id: "rds-force-ssl",
    checkov: "CKV2_AWS_69",
    rationale: "The database refuses unencrypted connections.",
    types: ["aws_db_instance"],
    check: (_r, ctx) => (parameter(ctx.resources.filter((g) => g.type === "aws_db_parameter_group"), "rds.force_ssl") === "1" ? undefined : "rds.force_ssl is not 1"),
  },
  {
    id: "rds-copy-tags",
    checkov: "CKV2_AWS_60",
    rationale: "Snapshots carry the instance's tags, so their owner and environment are known.",
    types: ["aws_db_instance"],
    check: (r) => (r.values.copy_tags_to_snapshot === true ? undefined : "copy_tags_to_snapshot is off"),
  },
  {
    id: "efs-encrypted-cmk",
    checkov: "CKV_AWS_42/CKV_AWS_184",
    rationale: "Task logs are encrypted with a customer key.",
    types: ["aws_efs_file_system"],
    check: (r) => (r.values.encrypted === true && refersTo(r, "kms_key_id", "aws_kms_key") ? undefined : "not encrypted with a customer KMS key"),
  },
  {
    id: "efs-backed-up",
    checkov: "CKV2_AWS_18",
    rationale: "The file system is in AWS Backup.",
    types: ["aws_efs_file_system"],
    check: (r, ctx) => {
      const name = r.address.slice(r.address.indexOf(".") + 1);
      const enabled = ctx.resources.some(
        (p) => p.type === "aws_efs_backup_policy" && String(p.config.file_system_id).includes(`.${name}.`) && block(p.values.backup_policy)?.status === "ENABLED",
      );
      return enabled ? undefined : "no enabled backup policy";
    },
  },
];

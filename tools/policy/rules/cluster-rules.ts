import { CONTROL_PLANE_LOG_TYPES } from "../../../constructs/cluster/eks-cluster";
import type { PolicyRule } from "../types";
import { block, list, refersTo } from "./helpers";

export const clusterRules: PolicyRule[] = [
  {
    id: "eks-endpoint-private",
    checkov: "CKV_AWS_39/CKV_AWS_38",
    rationale: "The Kubernetes API is reachable only from the VPC, or from an allowlist.",
    types: ["aws_eks_cluster"],
    check: (r) => {
      const vpc = block(r.values.vpc_config);
      if (vpc?.endpoint_private_access !== true) return "private endpoint access is off";
      if (vpc.endpoint_public_access !== true) return undefined;
      const cidrs = list(vpc.public_access_cidrs) as string[];
      return cidrs.length === 0 || cidrs.includes("0.0.0.0/0") ? `public endpoint open to ${cidrs.join(", ") || "everyone"}` : undefined;
    },
  },
  {
    id: "eks-secrets-encryption",
    checkov: "CKV_AWS_58",
    rationale: "Kubernetes Secrets are envelope-encrypted with a customer key.",
    types: ["aws_eks_cluster"],
    check: (r) => {
      const encryption = block(r.config.encryption_config);
      const keyArn = block(encryption?.provider)?.key_arn;
      if (!list(encryption?.resources).includes("secrets")) return "no encryption_config for secrets";
      return typeof keyArn === "string" && keyArn.includes("${aws_kms_key.") ? undefined : "secrets are not encrypted with a customer KMS key";
    },
  },
  {
    id: "eks-control-plane-logs",
    checkov: "CKV_AWS_37",
    rationale: "All five control-plane log types are kept: an audit gap cannot be filled later.",
    types: ["aws_eks_cluster"],
    check: (r) => {
      const enabled = list(r.values.enabled_cluster_log_types);
      const missing = CONTROL_PLANE_LOG_TYPES.filter((t) => !enabled.includes(t));
      return missing.length > 0 ? `missing log types ${missing.join(", ")}` : undefined;
    },
  },
  {
    id: "imdsv2-required",
    checkov: "CKV_AWS_79/CKV_AWS_341",
    rationale: "Nodes require IMDSv2 with hop limit 1, so pods cannot borrow the node's role.",
    types: ["aws_launch_template"],
    check: (r) => {
      const metadata = block(r.values.metadata_options);
      if (metadata?.http_tokens !== "required") return `http_tokens is ${String(metadata?.http_tokens)}, not required`;
      return metadata.http_put_response_hop_limit === 1 ? undefined : `hop limit ${String(metadata.http_put_response_hop_limit)}, not 1`;
    },
  },
  {
    id: "no-public-ip-nodes",
    checkov: "CKV_AWS_88/CKV_AWS_130",
    rationale: "Nodes and subnets hand out no public addresses.",
    types: ["aws_launch_template", "aws_subnet"],
    check: (r) => {
      if (r.type === "aws_subnet") return r.values.map_public_ip_on_launch === true ? "subnet maps public IPs on launch" : undefined;
      const public_ = list(r.values.network_interfaces).some((n) => block(n)?.associate_public_ip_address === "true" || block(n)?.associate_public_ip_address === true);
      return public_ ? "launch template associates a public IP" : undefined;
    },
  },
  {
    id: "kms-rotation",
    checkov: "CKV_AWS_7",
    rationale: "Customer keys rotate yearly.",
    types: ["aws_kms_key"],
    check: (r) => (r.values.enable_key_rotation === true ? undefined : "key rotation is off"),
  },
  {
    id: "log-group-encrypted-retained",
    checkov: "CKV_AWS_158/CKV_AWS_338",
    rationale: "Log groups are encrypted with a customer key and kept for a year.",
    types: ["aws_cloudwatch_log_group"],
    check: (r) => {
      if (!refersTo(r, "kms_key_id", "aws_kms_key")) return "not encrypted with a customer KMS key";
      const days = Number(r.values.retention_in_days ?? 0);
      return days >= 365 ? undefined : `retained ${days} days, less than 365`;
    },
  },
];

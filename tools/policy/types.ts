import type { EnvironmentConfig } from "../../configuration/schema/environment-config";

/**
 * One resource as the rules see it: its planned values where Terraform knows them (the offline
 * plan), else its synthesized configuration; plus what only the configuration holds (lifecycle,
 * references to other resources, strings with interpolations).
 */
export interface ResourceView {
  /** Terraform address, e.g. `aws_db_instance.metadata-database_instance_D9F9ED63`. */
  readonly address: string;
  readonly type: string;
  readonly stack: string;
  /** Planned values (unknown ones absent) or, for stacks not planned here, configured values. */
  readonly values: Readonly<Record<string, unknown>>;
  /** The synthesized block from cdk.tf.json. */
  readonly config: Readonly<Record<string, unknown>>;
}

export interface PolicyContext {
  readonly environment: EnvironmentConfig;
  readonly resources: readonly ResourceView[];
}

/** A rule's verdict on one resource: undefined when it passes. */
export type Finding = string | undefined;

export interface PolicyRule {
  /** Our id, e.g. `eks-endpoint-private`. */
  readonly id: string;
  /** The checkov check(s) it corresponds to, where there is one. */
  readonly checkov?: string;
  /** Why the rule exists, in one line. */
  readonly rationale: string;
  /** Resource types the rule looks at. */
  readonly types: readonly string[];
  /** When only some stages must obey (Multi-AZ in prod). @default every stage */
  readonly stages?: readonly EnvironmentConfig["stage"][];
  readonly check: (resource: ResourceView, context: PolicyContext) => Finding;
}

export type PolicyStatus = "pass" | "fail" | "waived";

export interface PolicyResult {
  readonly rule: string;
  readonly checkov: string;
  readonly resource: string;
  readonly status: PolicyStatus;
  /** The failure, or the waiver's reason. */
  readonly detail: string;
}

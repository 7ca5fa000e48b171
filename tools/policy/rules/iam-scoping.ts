import type { Statement } from "./helpers";

// When `Resource: *` is acceptable in an Allow: for calls AWS offers no resource for, or when a
// condition narrows which resources the call may touch. Not every condition does: `aws:SourceIp`
// or `aws:SecureTransport` say how a call is made, not on what.

/**
 * `Get*` calls that name no resource in the Service Authorization Reference. Every other `Get`
 * is scopable: `secretsmanager:GetSecretValue` on `*` reads every secret in the account.
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html
 */
export const UNSCOPABLE_GETS: readonly string[] = [
  "ec2:GetInstanceTypesFromInstanceRequirements",
  "shield:GetSubscriptionState",
  "sts:GetCallerIdentity",
];

/** Metadata reads (Describe, List, also as `service:Describe*`) and the listed resource-less Gets. */
export function unscopable(action: string): boolean {
  return /^[a-z0-9-]+:(Describe|List)[A-Za-z]*\*?$/.test(action) || UNSCOPABLE_GETS.includes(action);
}

/**
 * Condition keys that narrow the resources a statement reaches: a resource's or a request's tag,
 * the account or organisation that owns it, the subnet or VPC, the service a KMS call comes
 * through, the service a role is passed to, the service-linked role being created.
 */
const SCOPING_KEYS: readonly RegExp[] = [
  /^([a-z0-9-]+):ResourceTag\//,
  /^([a-z0-9-]+):RequestTag\//,
  /^aws:Resource(Account|OrgID|OrgPaths)$/,
  /^ec2:(Subnet|Vpc|AuthorizedService|CreateAction)$/,
  /^kms:(ViaService|CallerAccount|EncryptionContext:.+)$/,
  /^iam:(PassedToService|AWSServiceName)$/,
  /^autoscaling:ResourceTag\//,
];

/**
 * Whether a statement's condition narrows its resources. Under `Null`, only `"false"` (the tag
 * must be present) narrows; `"true"` (it must be absent) admits every untagged resource.
 */
export function hasScopingCondition(statement: Statement): boolean {
  for (const [operator, keys] of Object.entries(statement.Condition ?? {})) {
    for (const [key, value] of Object.entries(keys)) {
      if (!SCOPING_KEYS.some((pattern) => pattern.test(key))) continue;
      if (operator === "Null" && String(value) !== "false") continue;
      return true;
    }
  }
  return false;
}

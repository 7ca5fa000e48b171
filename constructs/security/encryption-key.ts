import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { Construct } from "../core";
import { policyDocument, toPolicyJson, type PolicyDocument, type PolicyStatement } from "../iam/policy-document";

/**
 * Who may encrypt and decrypt with a key: AWS services acting for this account's principals
 * (`kms:ViaService`: RDS for the database, Secrets Manager for secrets, …), and IAM principals
 * named by ARN (`aws:PrincipalArn`, e.g. the EKS cluster role). Nobody else, whatever IAM grants.
 */
export interface KeyUsers {
  /** Service names as in their endpoints: `rds`, `secretsmanager`, `elasticfilesystem`, `ecr`, `eks`. @default [] */
  readonly viaServices?: readonly string[];
  /** ARNs (wildcards allowed) of principals that call KMS themselves. @default [] */
  readonly principalArns?: readonly string[];
}

export interface EncryptionKeyProps {
  /** Alias without the `alias/` prefix, e.g. `airflow-prod/eks-secrets`. */
  readonly alias: string;
  readonly description: string;
  readonly accountId: string;
  readonly partition: string;
  /** The key's region and the service DNS suffix, for `kms:ViaService`. */
  readonly region: string;
  readonly serviceSuffix: string;
  readonly users: KeyUsers;
  /**
   * Extra key-policy statements for AWS services that encrypt on the account's behalf
   * (CloudWatch Logs needs one; most services use grants through the account's IAM).
   * @default []
   * @see https://docs.aws.amazon.com/kms/latest/developerguide/key-policies.html
   */
  readonly serviceStatements?: readonly PolicyStatement[];
  /**
   * Keep the key when the stack is destroyed (`prevent_destroy`). @default false
   * @see https://developer.hashicorp.com/terraform/language/meta-arguments/lifecycle#prevent_destroy
   */
  readonly preventDestroy?: boolean;
  /**
   * Waiting period before a scheduled deletion takes effect.
   * @default 30
   * @see https://docs.aws.amazon.com/kms/latest/developerguide/deleting-keys.html
   */
  readonly deletionWindowDays?: number;
}

/** What administering a key takes; no encrypt, decrypt or grant among them. */
export const KEY_ADMIN_ACTIONS = [
  // Not kms:Create*: that would include CreateGrant, a way to give oneself decrypt.
  "kms:CreateAlias",
  "kms:Describe*",
  "kms:Enable*",
  "kms:List*",
  "kms:Put*",
  "kms:Update*",
  "kms:Revoke*",
  "kms:Disable*",
  "kms:Get*",
  "kms:Delete*",
  "kms:TagResource",
  "kms:UntagResource",
  "kms:ScheduleKeyDeletion",
  "kms:CancelKeyDeletion",
  "kms:RotateKeyOnDemand",
] as const;

/** What using a key takes: the cryptographic calls, and the grants services make for themselves. */
export const KEY_USE_ACTIONS = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey", "kms:CreateGrant", "kms:ListGrants"] as const;

/**
 * The key policy: the account administers the key through IAM (never a wildcard principal, and
 * administering is not using: no encrypt, decrypt or CreateGrant among its actions), the named
 * users use it, plus whatever service statements the caller needs.
 */
export function encryptionKeyPolicy(props: Pick<EncryptionKeyProps, "accountId" | "partition" | "region" | "serviceSuffix" | "users" | "serviceStatements">): PolicyDocument {
  const account = { AWS: `arn:${props.partition}:iam::${props.accountId}:root` };
  const services = props.users.viaServices ?? [];
  const principals = props.users.principalArns ?? [];
  if (services.length === 0 && principals.length === 0 && (props.serviceStatements ?? []).length === 0) {
    throw new Error(`key policy in ${props.accountId}: names no user (users.viaServices, users.principalArns or serviceStatements); nobody could use the key`);
  }
  const statements: PolicyStatement[] = [
    { Sid: "AccountAdministersThroughIam", Effect: "Allow", Principal: account, Action: [...KEY_ADMIN_ACTIONS], Resource: "*" },
  ];
  if (services.length > 0) {
    statements.push({
      Sid: "UseOnlyThroughTheNamedServices",
      Effect: "Allow",
      Principal: account,
      Action: [...KEY_USE_ACTIONS],
      Resource: "*",
      Condition: {
        StringEquals: { "kms:CallerAccount": props.accountId, "kms:ViaService": services.map((s) => `${s}.${props.region}.${props.serviceSuffix}`) },
      },
    });
  }
  if (principals.length > 0) {
    statements.push({
      Sid: "UseByTheNamedPrincipals",
      Effect: "Allow",
      Principal: account,
      Action: [...KEY_USE_ACTIONS],
      Resource: "*",
      Condition: { ArnLike: { "aws:PrincipalArn": [...principals] } },
    });
  }
  return policyDocument(...statements, ...(props.serviceStatements ?? []));
}

/** A customer-managed KMS key with yearly rotation and an alias. */
export class EncryptionKey extends Construct {
  readonly keyArn: string;
  readonly keyId: string;

  constructor(scope: Construct, id: string, props: EncryptionKeyProps) {
    super(scope, id);
    const key = new KmsKey(this, "key", {
      description: props.description,
      enableKeyRotation: true,
      deletionWindowInDays: props.deletionWindowDays ?? 30,
      policy: toPolicyJson(encryptionKeyPolicy(props)),
      lifecycle: { preventDestroy: props.preventDestroy ?? false },
    });
    new KmsAlias(this, "alias", { name: `alias/${props.alias}`, targetKeyId: key.keyId });
    this.keyArn = key.arn;
    this.keyId = key.keyId;
  }
}

/** Lets CloudWatch Logs use the key for log groups of this account and region only. */
export function cloudWatchLogsKeyStatement(region: string, accountId: string, partition: string, serviceSuffix: string): PolicyStatement {
  return {
    Sid: "CloudWatchLogsEncryptsThisAccountsLogGroups",
    Effect: "Allow",
    Principal: { Service: `logs.${region}.${serviceSuffix}` },
    Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
    Resource: "*",
    Condition: {
      ArnLike: { "kms:EncryptionContext:aws:logs:arn": `arn:${partition}:logs:${region}:${accountId}:log-group:*` },
    },
  };
}

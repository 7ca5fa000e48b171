import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { Construct } from "../core";
import { policyDocument, toPolicyJson, type PolicyDocument, type PolicyStatement } from "../iam/policy-document";

export interface EncryptionKeyProps {
  /** Alias without the `alias/` prefix, e.g. `airflow-prod/eks-secrets`. */
  readonly alias: string;
  readonly description: string;
  readonly accountId: string;
  readonly partition: string;
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

/**
 * The key policy: the account administers the key through IAM (never a wildcard principal), plus
 * whatever service statements the caller needs.
 */
export function encryptionKeyPolicy(props: Pick<EncryptionKeyProps, "accountId" | "partition" | "serviceStatements">): PolicyDocument {
  return policyDocument(
    {
      Sid: "AccountAdministersThroughIam",
      Effect: "Allow",
      Principal: { AWS: `arn:${props.partition}:iam::${props.accountId}:root` },
      Action: "kms:*",
      Resource: "*",
    },
    ...(props.serviceStatements ?? []),
  );
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

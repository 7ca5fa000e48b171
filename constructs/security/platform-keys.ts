import { Construct } from "../core";
import { serviceDnsSuffix, type AwsPartition } from "../network/aws-regions";
import { cloudWatchLogsKeyStatement, EncryptionKey, type KeyUsers } from "./encryption-key";

export interface PlatformKeysProps {
  readonly namePrefix: string;
  /** The EKS cluster's IAM role, the one principal that uses the Secrets key itself. */
  readonly clusterRoleName: string;
  readonly accountId: string;
  readonly region: string;
  readonly partition: AwsPartition;
  /**
   * `prevent_destroy` on every key: losing one loses the data it encrypts. @default false
   * @see https://developer.hashicorp.com/terraform/language/meta-arguments/lifecycle#prevent_destroy
   */
  readonly preventDestroy?: boolean;
}

/**
 * One customer key per kind of data, so access to one (say, task logs) grants nothing on another
 * (the metadata database), and each can be rotated, audited or revoked on its own.
 */
export class PlatformKeys extends Construct {
  /** Envelope encryption of Kubernetes Secrets. */
  readonly clusterSecrets: EncryptionKey;
  /** CloudWatch log groups: control plane and VPC flow logs. */
  readonly logs: EncryptionKey;
  /** EFS task logs. */
  readonly logStorage: EncryptionKey;
  /** RDS storage, Performance Insights and the master-password secret. */
  readonly database: EncryptionKey;
  /** ECR: Airflow's image and the task images. */
  readonly images: EncryptionKey;
  /** Airflow's own secrets in Secrets Manager: fernet key, API secret key, JWT secret. */
  readonly airflowSecrets: EncryptionKey;

  constructor(scope: Construct, id: string, props: PlatformKeysProps) {
    super(scope, id);
    const common = {
      accountId: props.accountId,
      partition: props.partition,
      region: props.region,
      serviceSuffix: serviceDnsSuffix(props.partition),
      preventDestroy: props.preventDestroy ?? false,
    };
    const key = (name: string, description: string, users: KeyUsers, extra = {}) =>
      new EncryptionKey(this, name, { alias: `${props.namePrefix}/${name}`, description: `${props.namePrefix}: ${description}`, users, ...common, ...extra });
    // Each key's users: the service that stores the data, or, for Secrets, the cluster's own role.
    this.clusterSecrets = key("eks-secrets", "envelope encryption of Kubernetes Secrets", {
      viaServices: ["eks"],
      principalArns: [`arn:${props.partition}:iam::${props.accountId}:role/${props.clusterRoleName}`],
    });
    this.logs = key("logs", "CloudWatch log groups", {}, {
      serviceStatements: [
        cloudWatchLogsKeyStatement(props.region, props.accountId, props.partition, serviceDnsSuffix(props.partition)),
      ],
    });
    this.logStorage = key("log-storage", "EFS file system for Airflow task logs", { viaServices: ["elasticfilesystem"] });
    this.database = key("database", "Airflow metadata database, its snapshots and master secret", { viaServices: ["rds", "secretsmanager"] });
    this.images = key("images", "ECR repositories of Airflow's image and task images", { viaServices: ["ecr"] });
    this.airflowSecrets = key("airflow-secrets", "Airflow fernet key, API secret key and JWT secret in Secrets Manager", { viaServices: ["secretsmanager"] });
  }
}

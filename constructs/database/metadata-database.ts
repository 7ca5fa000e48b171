import { DbInstance } from "@cdktf/provider-aws/lib/db-instance";
import { DbParameterGroup } from "@cdktf/provider-aws/lib/db-parameter-group";
import { DbSubnetGroup } from "@cdktf/provider-aws/lib/db-subnet-group";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { SecretsmanagerSecretRotation } from "@cdktf/provider-aws/lib/secretsmanager-secret-rotation";
import { Construct } from "../core";
import { awsManagedPolicyArn, serviceTrustPolicy, toPolicyJson } from "../iam/policy-document";
import { ServiceSecurityGroup } from "../network/service-security-group";
import type { DbInstanceClass, Duration, Size } from "../../lib/units";
import { DEFAULT_PASSWORD_ROTATION, rotationRules, type PasswordRotationWindow } from "./password-rotation";
import { RDS_CA_CERT_IDENTIFIER } from "./rds-ca";

export const POSTGRES_PORT = 5432;
export const METADATA_DATABASE_NAME = "airflow";
export const METADATA_MASTER_USERNAME = "airflow_admin";

/** Logs RDS PostgreSQL can export to CloudWatch; both are on. */
export const POSTGRES_LOG_EXPORTS = ["postgresql", "upgrade"] as const;

export interface MetadataDatabaseProps {
  readonly identifier: string;
  readonly partition: string;
  readonly vpcId: string;
  readonly subnetIds: readonly string[];
  readonly nodeSecurityGroupId: string;
  /** Encrypts storage, Performance Insights and the RDS-managed master secret. */
  readonly kmsKeyArn: string;
  /** Full version, e.g. `17.9`; minor upgrades are promoted through environments, not automatic. */
  readonly engineVersion: string;
  /** @see https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Concepts.DBInstanceClass.html */
  readonly instanceClass: DbInstanceClass;
  /** Initial gp3 storage, in whole GiB. */
  readonly allocatedStorage: Size;
  /** Storage autoscaling ceiling, in whole GiB. */
  readonly maxAllocatedStorage: Size;
  /**
   * Set explicitly, so PgBouncer's pools can be checked against it at synth time instead of
   * against the instance-class formula RDS would otherwise apply.
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/CHAP_Limits.html#RDS_Limits.MaxConnections
   */
  readonly maxConnections: number;
  /** Automated backups, in whole days (0 to 35). */
  readonly backupRetention: Duration;
  readonly multiAz: boolean;
  /** Deletion protection, a final snapshot and `prevent_destroy`. */
  readonly protectData: boolean;
  /**
   * @default Duration.days(7)
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_PerfInsights.Overview.cost.html
   */
  readonly performanceInsightsRetention?: Duration;
  /**
   * @default "01:00-02:00" (UTC)
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_WorkingWithAutomatedBackups.BackupWindow.html
   */
  readonly backupWindow?: string;
  /**
   * @default "sun:10:00-sun:11:00" (UTC), after the nightly run
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_UpgradeDBInstance.Maintenance.html
   */
  readonly maintenanceWindow?: string;
  /**
   * When RDS rotates the master password, weekly.
   * @default DEFAULT_PASSWORD_ROTATION, Tuesday 14:00–16:00 UTC, well clear of the nightly run
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-secrets-manager.html
   */
  readonly passwordRotation?: PasswordRotationWindow;
}

/** The parameter group family RDS expects for a version, e.g. `17.9` → `postgres17`. */
export function parameterGroupFamily(engineVersion: string): string {
  return `postgres${engineVersion.split(".")[0]}`;
}

/**
 * RDS PostgreSQL for Airflow's metadata: private, encrypted with a customer key, TLS enforced,
 * master password generated and rotated by RDS in Secrets Manager (never in configuration).
 */
export class MetadataDatabase extends Construct {
  readonly address: string;
  readonly port: number;
  readonly databaseName: string;
  readonly masterUsername: string;
  /** The RDS-managed Secrets Manager secret holding the master credentials. */
  readonly masterSecretArn: string;
  readonly securityGroupId: string;
  readonly maxConnections: number;

  constructor(scope: Construct, id: string, props: MetadataDatabaseProps) {
    super(scope, id);
    const subnetGroup = new DbSubnetGroup(this, "subnet-group", {
      name: props.identifier,
      description: `Private subnets of ${props.identifier}`,
      subnetIds: [...props.subnetIds],
    });
    const securityGroup = new ServiceSecurityGroup(this, "security-group", {
      name: `${props.identifier}-db`,
      description: `PostgreSQL to ${props.identifier} from cluster nodes only`,
      vpcId: props.vpcId,
      port: POSTGRES_PORT,
      sourceSecurityGroupId: props.nodeSecurityGroupId,
      sourceDescription: "EKS nodes",
    });
    const family = parameterGroupFamily(props.engineVersion);
    const parameters = new DbParameterGroup(this, "parameters", {
      namePrefix: `${props.identifier}-${family}-`,
      family,
      description: `Airflow metadata database parameters for ${props.identifier}`,
      parameter: [
        { name: "max_connections", value: String(props.maxConnections), applyMethod: "pending-reboot" },
        { name: "rds.force_ssl", value: "1", applyMethod: "immediate" },
        { name: "log_min_duration_statement", value: "1000", applyMethod: "immediate" },
        { name: "log_connections", value: "1", applyMethod: "immediate" },
      ],
      lifecycle: { createBeforeDestroy: true },
    });
    const monitoringRole = new IamRole(this, "monitoring-role", {
      name: `${props.identifier}-rds-monitoring`,
      assumeRolePolicy: toPolicyJson(serviceTrustPolicy("monitoring.rds.amazonaws.com")),
    });
    new IamRolePolicyAttachment(this, "monitoring-policy", {
      role: monitoringRole.name,
      policyArn: awsManagedPolicyArn(props.partition, "service-role/AmazonRDSEnhancedMonitoringRole"),
    });
    const instance = new DbInstance(this, "instance", {
      identifier: props.identifier,
      engine: "postgres",
      engineVersion: props.engineVersion,
      autoMinorVersionUpgrade: false,
      engineLifecycleSupport: "open-source-rds-extended-support-disabled",
      instanceClass: props.instanceClass,
      dbName: METADATA_DATABASE_NAME,
      username: METADATA_MASTER_USERNAME,
      manageMasterUserPassword: true,
      masterUserSecretKmsKeyId: props.kmsKeyArn,
      port: POSTGRES_PORT,
      storageType: "gp3",
      allocatedStorage: props.allocatedStorage.toGibibytes(),
      maxAllocatedStorage: props.maxAllocatedStorage.toGibibytes(),
      storageEncrypted: true,
      kmsKeyId: props.kmsKeyArn,
      dbSubnetGroupName: subnetGroup.name,
      vpcSecurityGroupIds: [securityGroup.securityGroupId],
      publiclyAccessible: false,
      multiAz: props.multiAz,
      parameterGroupName: parameters.name,
      caCertIdentifier: RDS_CA_CERT_IDENTIFIER,
      iamDatabaseAuthenticationEnabled: true,
      backupRetentionPeriod: props.backupRetention.toDays(),
      backupWindow: props.backupWindow ?? "01:00-02:00",
      maintenanceWindow: props.maintenanceWindow ?? "sun:10:00-sun:11:00",
      copyTagsToSnapshot: true,
      deleteAutomatedBackups: !props.protectData,
      deletionProtection: props.protectData,
      skipFinalSnapshot: !props.protectData,
      finalSnapshotIdentifier: props.protectData ? `${props.identifier}-final` : undefined,
      performanceInsightsEnabled: true,
      performanceInsightsKmsKeyId: props.kmsKeyArn,
      performanceInsightsRetentionPeriod: props.performanceInsightsRetention?.toDays() ?? 7,
      monitoringInterval: 60,
      monitoringRoleArn: monitoringRole.arn,
      enabledCloudwatchLogsExports: [...POSTGRES_LOG_EXPORTS],
      lifecycle: { preventDestroy: props.protectData },
    });
    this.address = instance.address;
    this.port = POSTGRES_PORT;
    this.databaseName = METADATA_DATABASE_NAME;
    this.masterUsername = METADATA_MASTER_USERNAME;
    this.masterSecretArn = instance.masterUserSecret.get(0).secretArn;
    // RDS rotates its own secret with no Lambda; only the schedule is ours to set.
    new SecretsmanagerSecretRotation(this, "password-rotation", {
      secretId: this.masterSecretArn,
      rotateImmediately: false,
      rotationRules: rotationRules(props.passwordRotation ?? DEFAULT_PASSWORD_ROTATION),
    });
    this.securityGroupId = securityGroup.securityGroupId;
    this.maxConnections = props.maxConnections;
  }
}

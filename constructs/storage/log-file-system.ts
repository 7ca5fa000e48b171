import { EfsAccessPoint } from "@cdktf/provider-aws/lib/efs-access-point";
import { EfsBackupPolicy } from "@cdktf/provider-aws/lib/efs-backup-policy";
import { EfsFileSystem } from "@cdktf/provider-aws/lib/efs-file-system";
import { EfsFileSystemPolicy } from "@cdktf/provider-aws/lib/efs-file-system-policy";
import { EfsMountTarget } from "@cdktf/provider-aws/lib/efs-mount-target";
import { Construct } from "../core";
import { policyDocument, toPolicyJson } from "../iam/policy-document";
import { ServiceSecurityGroup } from "../network/service-security-group";
import type { Duration } from "../../lib/units";

/** The user the official Airflow image runs as; group 0 is how the image grants write access. */
export const AIRFLOW_UID = 50000;
export const AIRFLOW_GID = 0;
export const NFS_PORT = 2049;

export interface LogFileSystemProps {
  readonly name: string;
  readonly vpcId: string;
  /** A mount target goes in each, so pods in every zone mount locally. */
  readonly subnetIds: readonly string[];
  readonly nodeSecurityGroupId: string;
  readonly kmsKeyArn: string;
  /**
   * Age after which unread logs move to Infrequent Access: 1, 7, 14, 30, 60, 90, 180, 270 or 365 days.
   * @default Duration.days(30)
   * @see https://docs.aws.amazon.com/efs/latest/ug/lifecycle-management-efs.html
   */
  readonly transitionToInfrequentAccess?: Duration;
  /**
   * @default "/airflow-logs"
   * @see https://docs.aws.amazon.com/efs/latest/ug/efs-access-points.html
   */
  readonly rootDirectory?: string;
  /**
   * Keep the file system when the stack is destroyed. @default false
   * @see https://developer.hashicorp.com/terraform/language/meta-arguments/lifecycle#prevent_destroy
   */
  readonly preventDestroy?: boolean;
}

/**
 * EFS for Airflow task logs, shared by every task pod and the API server. Elastic throughput,
 * because up to 60 nodes of task pods write at once and bursting credits run out; an access
 * point that presents every client as uid 50000, so pods never hit permission errors.
 * @see https://docs.aws.amazon.com/efs/latest/ug/performance.html#elastic-throughput
 */
export class LogFileSystem extends Construct {
  readonly fileSystemId: string;
  readonly fileSystemArn: string;
  readonly accessPointId: string;

  constructor(scope: Construct, id: string, props: LogFileSystemProps) {
    super(scope, id);
    const fileSystem = new EfsFileSystem(this, "file-system", {
      creationToken: props.name,
      encrypted: true,
      kmsKeyId: props.kmsKeyArn,
      performanceMode: "generalPurpose",
      throughputMode: "elastic",
      lifecyclePolicy: [
        { transitionToIa: `AFTER_${props.transitionToInfrequentAccess?.toDays() ?? 30}_DAYS` },
        { transitionToPrimaryStorageClass: "AFTER_1_ACCESS" },
      ],
      tags: { Name: props.name },
      lifecycle: { preventDestroy: props.preventDestroy ?? false },
    });
    new EfsBackupPolicy(this, "backup", { fileSystemId: fileSystem.id, backupPolicy: { status: "ENABLED" } });
    // A policy replaces EFS's default allow-all, so clients that reach a mount target (only the
    // nodes, by the security group) are allowed to mount and write, and unencrypted NFS is refused:
    // task logs can hold connection strings and data samples.
    new EfsFileSystemPolicy(this, "policy", {
      fileSystemId: fileSystem.id,
      policy: toPolicyJson(
        policyDocument(
          {
            Sid: "MountThroughMountTargetsOnly",
            Effect: "Allow",
            Principal: { AWS: "*" },
            Action: ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"],
            Resource: fileSystem.arn,
            Condition: { Bool: { "elasticfilesystem:AccessedViaMountTarget": "true" } },
          },
          {
          Sid: "DenyUnencryptedTransport",
          Effect: "Deny",
          Principal: { AWS: "*" },
          Action: "*",
          Resource: fileSystem.arn,
            Condition: { Bool: { "aws:SecureTransport": "false" } },
          },
        ),
      ),
    });
    const securityGroup = new ServiceSecurityGroup(this, "security-group", {
      name: `${props.name}-efs`,
      description: `NFS to the ${props.name} file system from cluster nodes only`,
      vpcId: props.vpcId,
      port: NFS_PORT,
      sourceSecurityGroupId: props.nodeSecurityGroupId,
      sourceDescription: "EKS nodes",
    });
    props.subnetIds.forEach((subnetId, i) => {
      new EfsMountTarget(this, `mount-target-${i}`, {
        fileSystemId: fileSystem.id,
        subnetId,
        securityGroups: [securityGroup.securityGroupId],
      });
    });
    const accessPoint = new EfsAccessPoint(this, "access-point", {
      fileSystemId: fileSystem.id,
      posixUser: { uid: AIRFLOW_UID, gid: AIRFLOW_GID },
      rootDirectory: {
        path: props.rootDirectory ?? "/airflow-logs",
        creationInfo: { ownerUid: AIRFLOW_UID, ownerGid: AIRFLOW_GID, permissions: "0775" },
      },
      tags: { Name: `${props.name}-airflow-logs` },
    });
    this.fileSystemId = fileSystem.id;
    this.fileSystemArn = fileSystem.arn;
    this.accessPointId = accessPoint.id;
  }
}

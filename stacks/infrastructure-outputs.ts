import type { AirflowCluster } from "../constructs/cluster/eks-cluster";
import { TerraformOutput, type TerraformStack } from "../constructs/core";
import type { MetadataDatabase } from "../constructs/database/metadata-database";
import type { NetworkRef } from "../constructs/network/network-ref";
import type { AirflowImageRepository } from "../constructs/registry/airflow-image-repository";
import type { TaskImageRepositories } from "../constructs/registry/task-image-repositories";
import type { PlatformKeys } from "../constructs/security/platform-keys";
import type { LogFileSystem } from "../constructs/storage/log-file-system";

/** What the outputs read: the infrastructure stack's typed parts (it passes itself). */
export interface InfrastructureOutputSources {
  readonly network: NetworkRef;
  readonly cluster: AirflowCluster;
  readonly clusterAutoscalerRoleArn: string;
  readonly efsCsiDriverRoleArn: string;
  readonly loadBalancerControllerRoleArn: string;
  readonly logStorage: LogFileSystem;
  readonly database: MetadataDatabase;
  readonly databaseBootstrapRoleArn: string;
  readonly taskImages: TaskImageRepositories;
  readonly airflowImage?: AirflowImageRepository;
  readonly keys: PlatformKeys;
  readonly ciRunner?: { readonly projectName: string };
}

/**
 * The outputs the platform stack and operators consume. In-process consumers use the stack's
 * typed properties (cdktf turns cross-stack references into remote state); these make the same
 * values visible to `terraform output` and to other tools.
 */
export function addInfrastructureOutputs(scope: TerraformStack, stack: InfrastructureOutputSources): void {
  const outputs: Record<string, { value: string | number; description: string; sensitive?: boolean }> = {
    cluster_name: { value: stack.cluster.clusterName, description: "EKS cluster name" },
    cluster_endpoint: { value: stack.cluster.endpoint, description: "EKS API server endpoint (private)" },
    cluster_certificate_authority: { value: stack.cluster.certificateAuthority, description: "Base64 CA bundle of the API server" },
    cluster_security_group_id: { value: stack.cluster.clusterSecurityGroupId, description: "Security group of the control plane and managed nodes" },
    oidc_provider_arn: { value: stack.cluster.oidc.providerArn, description: "IAM OIDC provider for IRSA" },
    cluster_autoscaler_role_arn: { value: stack.clusterAutoscalerRoleArn, description: "IRSA role for kube-system/cluster-autoscaler" },
    efs_csi_driver_role_arn: { value: stack.efsCsiDriverRoleArn, description: "IRSA role for the EFS CSI controller" },
    load_balancer_controller_role_arn: { value: stack.loadBalancerControllerRoleArn, description: "IRSA role for kube-system/aws-load-balancer-controller" },
    log_file_system_id: { value: stack.logStorage.fileSystemId, description: "EFS file system of the task logs" },
    log_access_point_id: { value: stack.logStorage.accessPointId, description: "EFS access point (uid 50000) of the task logs" },
    database_address: { value: stack.database.address, description: "Metadata database host name" },
    database_port: { value: stack.database.port, description: "Metadata database port" },
    database_name: { value: stack.database.databaseName, description: "Metadata database name" },
    database_master_username: { value: stack.database.masterUsername, description: "Master user of the metadata database" },
    database_secret_arn: { value: stack.database.masterSecretArn, description: "Secrets Manager secret (RDS-managed) with the master credentials" },
    database_bootstrap_role_arn: { value: stack.databaseBootstrapRoleArn, description: "IRSA role of the database bootstrap Job (reads the master secret only)" },
    database_max_connections: { value: stack.database.maxConnections, description: "max_connections of the metadata database" },
    airflow_secrets_kms_key_arn: { value: stack.keys.airflowSecrets.keyArn, description: "KMS key for Airflow's secrets in Secrets Manager" },
    database_kms_key_arn: { value: stack.keys.database.keyArn, description: "KMS key of the database and its master secret" },
    vpc_id: { value: stack.network.vpcId, description: "VPC of the platform" },
  };
  if (stack.ciRunner) {
    outputs.ci_runner_project = { value: stack.ciRunner.projectName, description: "CodeBuild project of the in-VPC GitHub Actions runner (runs-on: codebuild-<project>-…)" };
  }
  if (stack.airflowImage) {
    outputs.airflow_image_repository_url = {
      value: stack.airflowImage.repositoryUrl,
      description: "ECR repository of the platform's Airflow image (the pipeline pushes it; `npm run airflow-image -- repository <env>`)",
    };
  }
  for (const [id, output] of Object.entries(outputs)) {
    new TerraformOutput(scope, id, output);
  }
  for (const [name, url] of Object.entries(stack.taskImages.repositoryUrls)) {
    new TerraformOutput(scope, `task_image_repository_${name.replace(/[^a-zA-Z0-9]/g, "_")}`, {
      value: url,
      description: `ECR repository URL of ${name}`,
    });
  }
}

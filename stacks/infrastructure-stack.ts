import { ClusterAutoscalerRole } from "../constructs/autoscaler/cluster-autoscaler-role";
import { EksAddonSet } from "../constructs/cluster/eks-addons";
import { AirflowCluster } from "../constructs/cluster/eks-cluster";
import { ManagedNodeGroup } from "../constructs/cluster/managed-node-group";
import { nodePoolLabels, nodePoolTaints, type NodePool } from "../constructs/cluster/node-placement";
import { NodeRole } from "../constructs/cluster/node-role";
import { Construct, TerraformStack } from "../constructs/core";
import { DatabaseBootstrapRole } from "../constructs/database/bootstrap-role";
import { MetadataDatabase } from "../constructs/database/metadata-database";
import { IrsaRole } from "../constructs/iam/irsa-role";
import { awsManagedPolicyArn } from "../constructs/iam/policy-document";
import { ImportedNetwork } from "../constructs/network/imported-network";
import type { NetworkRef } from "../constructs/network/network-ref";
import { VpcNetwork } from "../constructs/network/vpc-network";
import { TaskImageRepositories } from "../constructs/registry/task-image-repositories";
import { PlatformKeys } from "../constructs/security/platform-keys";
import { LogFileSystem } from "../constructs/storage/log-file-system";
import { Duration, Size } from "../constructs/units";
import type { EnvironmentConfig } from "../environments/config";
import { INFRASTRUCTURE_IDS as IDS, infrastructureStackName } from "../environments/derived/construct-paths";
import { addInfrastructureOutputs } from "./infrastructure-outputs";
import { configureAwsProvider } from "./aws-provider";
import { logFileSystemName, metadataDatabaseIdentifier } from "../environments/derived/resource-names";
import { configureStateBackend } from "./state-backend";

/** The service account the EFS CSI driver's controller runs as (set by the EKS add-on). */
export const EFS_CSI_SERVICE_ACCOUNT = { namespace: "kube-system", name: "efs-csi-controller-sa" } as const;

/**
 * `<env>-infrastructure`: everything Airflow needs from AWS. Network → keys → cluster → node
 * groups and add-ons → log storage → database → image repositories → outputs.
 */
export class InfrastructureStack extends TerraformStack {
  readonly config: EnvironmentConfig;
  readonly network: NetworkRef;
  readonly cluster: AirflowCluster;
  readonly nodeGroups: Readonly<Record<NodePool, ManagedNodeGroup>>;
  readonly clusterAutoscalerRoleArn: string;
  readonly efsCsiDriverRoleArn: string;
  readonly logStorage: LogFileSystem;
  readonly database: MetadataDatabase;
  /** IRSA role of the platform stack's database bootstrap Job: reads the master secret, nothing else. */
  readonly databaseBootstrapRoleArn: string;
  readonly taskImages: TaskImageRepositories;
  readonly keys: PlatformKeys;

  constructor(scope: Construct, config: EnvironmentConfig) {
    const name = infrastructureStackName(config.name);
    super(scope, name);
    this.config = config;
    configureStateBackend(this, name, config.stateBackend);
    configureAwsProvider(this, name, config);
    const prefix = config.resourcePrefix;
    const keys = (this.keys = new PlatformKeys(this, IDS.keys, {
      namePrefix: prefix,
      accountId: config.account.id,
      region: config.account.region,
      partition: config.partition,
      preventDestroy: config.protectData,
    }));
    this.network = this.createNetwork(keys.logs.keyArn);

    this.cluster = new AirflowCluster(this, IDS.cluster, {
      clusterName: config.clusterName,
      version: config.eksVersion,
      partition: config.partition,
      subnetIds: this.network.privateSubnetIds,
      secretsKeyArn: keys.clusterSecrets.keyArn,
      logsKeyArn: keys.logs.keyArn,
      logRetention: Duration.days(config.cluster.controlPlaneLogRetentionDays),
      publicEndpointCidrs: config.cluster.publicEndpointCidrs,
      serviceIpv4Cidr: config.cluster.serviceIpv4Cidr,
      adminRoleArns: config.cluster.adminRoleArns,
    });
    const clusterName = this.cluster.clusterName;
    const networkAddons = new EksAddonSet(this, "network-addons", {
      clusterName,
      addons: ["vpc-cni", "kube-proxy"],
      versions: config.addonVersions,
    });

    const nodeGroupsScope = new Construct(this, IDS.nodeGroups);
    const nodeRole = new NodeRole(nodeGroupsScope, "node-role", { roleName: `${prefix}-node`, partition: config.partition });
    const nodeGroup = (pool: NodePool) =>
      new ManagedNodeGroup(nodeGroupsScope, pool, {
        clusterName,
        kubernetesVersion: config.eksVersion,
        name: pool,
        nodeRoleArn: nodeRole.roleArn,
        subnetIds: this.network.privateSubnetIds,
        instanceTypes: config.nodeGroups[pool].instanceTypes,
        capacityType: config.nodeGroups[pool].capacityType,
        minSize: config.nodeGroups[pool].minSize,
        maxSize: config.nodeGroups[pool].maxSize,
        desiredSize: config.nodeGroups[pool].desiredSize,
        diskSize: Size.gibibytes(config.nodeGroups[pool].diskSizeGiB),
        labels: nodePoolLabels(pool),
        taints: nodePoolTaints(pool),
        dependsOn: [...nodeRole.policyAttachments, ...networkAddons.installed],
      });
    this.nodeGroups = { system: nodeGroup("system"), tasks: nodeGroup("tasks") };

    const efsCsiRole = new IrsaRole(this, "efs-csi-driver-role", {
      roleName: `${prefix}-efs-csi-driver`,
      oidc: this.cluster.oidc,
      serviceAccount: EFS_CSI_SERVICE_ACCOUNT,
      managedPolicyArns: [awsManagedPolicyArn(config.partition, "service-role/AmazonEFSCSIDriverPolicy")],
    });
    this.efsCsiDriverRoleArn = efsCsiRole.roleArn;
    new EksAddonSet(this, "workload-addons", {
      clusterName,
      addons: ["coredns", "aws-efs-csi-driver"],
      versions: config.addonVersions,
      serviceAccountRoleArns: { "aws-efs-csi-driver": efsCsiRole.roleArn },
      dependsOn: [this.nodeGroups.system.nodeGroup],
    });
    this.clusterAutoscalerRoleArn = new ClusterAutoscalerRole(this, "cluster-autoscaler-role", {
      clusterName: config.clusterName,
      oidc: this.cluster.oidc,
      partition: config.partition,
      region: config.account.region,
      accountId: config.account.id,
    }).roleArn;

    this.logStorage = new LogFileSystem(this, IDS.logStorage, {
      name: logFileSystemName(config),
      vpcId: this.network.vpcId,
      subnetIds: this.network.privateSubnetIds,
      nodeSecurityGroupId: this.cluster.clusterSecurityGroupId,
      kmsKeyArn: keys.logStorage.keyArn,
      transitionToInfrequentAccess: Duration.days(config.logStorage.transitionToInfrequentAccessDays),
      preventDestroy: config.protectData,
    });
    this.database = new MetadataDatabase(this, IDS.database, {
      identifier: metadataDatabaseIdentifier(config),
      partition: config.partition,
      vpcId: this.network.vpcId,
      subnetIds: this.network.privateSubnetIds,
      nodeSecurityGroupId: this.cluster.clusterSecurityGroupId,
      kmsKeyArn: keys.database.keyArn,
      engineVersion: config.database.engineVersion,
      instanceClass: config.database.instanceClass,
      allocatedStorage: Size.gibibytes(config.database.allocatedStorageGiB),
      maxAllocatedStorage: Size.gibibytes(config.database.maxAllocatedStorageGiB),
      maxConnections: config.database.maxConnections,
      backupRetention: Duration.days(config.database.backupRetentionDays),
      multiAz: config.database.multiAz,
      performanceInsightsRetention: Duration.days(config.database.performanceInsightsRetentionDays),
      backupWindow: config.database.backupWindow,
      maintenanceWindow: config.database.maintenanceWindow,
      passwordRotation: config.database.passwordRotation,
      protectData: config.protectData,
    });
    this.databaseBootstrapRoleArn = new DatabaseBootstrapRole(this, IDS.databaseBootstrapRole, {
      roleName: `${prefix}-db-bootstrap`,
      oidc: this.cluster.oidc,
      namespace: config.airflow.namespace,
      masterSecretArn: this.database.masterSecretArn,
      kmsKeyArn: keys.database.keyArn,
      region: config.account.region,
    }).roleArn;
    this.taskImages = new TaskImageRepositories(this, IDS.taskImages, {
      namePrefix: prefix,
      kmsKeyArn: keys.images.keyArn,
      repositories: config.taskImages.repositories,
      keepTaggedImages: config.taskImages.keepTaggedImages,
      expireUntaggedAfter: Duration.days(config.taskImages.expireUntaggedAfterDays),
    });
    addInfrastructureOutputs(this);
  }

  private createNetwork(flowLogsKeyArn: string): NetworkRef {
    const { config } = this;
    const existing = config.network.existingVpc;
    if (existing) return new ImportedNetwork(this, IDS.network, existing);
    return new VpcNetwork(this, IDS.network, {
      namePrefix: config.resourcePrefix,
      clusterName: config.clusterName,
      availabilityZones: config.availabilityZones,
      vpcCidr: config.network.vpcCidr,
      privateSubnetCidrs: config.subnets.privateCidrs,
      publicSubnetCidrs: config.subnets.publicCidrs,
      natGateways: config.network.natGateways,
      flowLogs: { retention: Duration.days(config.network.flowLogRetentionDays), kmsKeyArn: flowLogsKeyArn },
    });
  }
}

import { nodeGroupArchitecture } from "../configuration/schema/instance-extras";
import { ClusterAutoscalerRole } from "../constructs/autoscaler/cluster-autoscaler-role";
import { GitHubActionsRunner } from "../constructs/ci/github-actions-runner";
import { PipelineClusterAccess } from "../constructs/ci/pipeline-cluster-access";
import { LoadBalancerControllerRole } from "../constructs/ingress/load-balancer-controller-role";
import { EksAddonSet } from "../constructs/cluster/eks-addons";
import { AirflowCluster, clusterRoleName } from "../constructs/cluster/eks-cluster";
import { ManagedNodeGroup } from "../constructs/cluster/managed-node-group";
import { DEFAULT_TASK_POOL, nodePoolLabels, nodePoolTaints, SYSTEM_POOL, type NodePool } from "../constructs/cluster/node-placement";
import { NodeRole } from "../constructs/cluster/node-role";
import { Construct, TerraformStack } from "../constructs/core";
import { DatabaseBootstrapRole } from "../constructs/database/bootstrap-role";
import { MetadataDatabase } from "../constructs/database/metadata-database";
import { IrsaRole } from "../constructs/iam/irsa-role";
import { awsManagedPolicyArn } from "../constructs/iam/policy-document";
import { ImportedNetwork } from "../constructs/network/imported-network";
import type { NetworkRef } from "../constructs/network/network-ref";
import { VpcNetwork } from "../constructs/network/vpc-network";
import { AirflowImageRepository } from "../constructs/registry/airflow-image-repository";
import { TaskImageRepositories } from "../constructs/registry/task-image-repositories";
import { PlatformKeys } from "../constructs/security/platform-keys";
import { LogFileSystem } from "../constructs/storage/log-file-system";
import { Duration, Size } from "../lib/units";
import type { EnvironmentConfig } from "../configuration/schema/environment-config";
import { taskPools, type TaskPool } from "../configuration/derived/task-pools";
import { INFRASTRUCTURE_IDS as IDS, infrastructureStackName } from "../configuration/derived/construct-paths";
import { addInfrastructureOutputs } from "./infrastructure-outputs";
import { configureAwsProvider } from "./aws-provider";
import { airflowImageRepositoryName, ciRunnerProjectName, logFileSystemName, metadataDatabaseIdentifier } from "../configuration/derived/resource-names";
import { configureStateBackend } from "./state-backend";

/** The service account the EFS CSI driver's controller runs as (set by the EKS add-on). */
export const EFS_CSI_SERVICE_ACCOUNT = { namespace: "kube-system", name: "efs-csi-controller-sa" } as const;

/**
 * `<env>-infrastructure`: everything Airflow needs from AWS. Network → keys → cluster → node
 * groups (system, then one per task pool) and add-ons → log storage → database → image
 * repositories (task images, Airflow's own) → the pipeline's in-VPC runner → outputs.
 */
export class InfrastructureStack extends TerraformStack {
  readonly config: EnvironmentConfig;
  readonly network: NetworkRef;
  readonly cluster: AirflowCluster;
  /** The system group, the default task pool, and every task pool by name (`tasks` included). */
  readonly nodeGroups: {
    readonly system: ManagedNodeGroup;
    readonly tasks: ManagedNodeGroup;
    readonly taskPools: ReadonlyMap<string, ManagedNodeGroup>;
  };
  readonly clusterAutoscalerRoleArn: string;
  readonly efsCsiDriverRoleArn: string;
  readonly loadBalancerControllerRoleArn: string;
  readonly logStorage: LogFileSystem;
  readonly database: MetadataDatabase;
  /** IRSA role of the platform stack's database bootstrap Job: reads the master secret, nothing else. */
  readonly databaseBootstrapRoleArn: string;
  readonly taskImages: TaskImageRepositories;
  /** Where the pipeline pushes the platform's Airflow image; none when `airflow.image` is prebuilt. */
  readonly airflowImage?: AirflowImageRepository;
  readonly keys: PlatformKeys;
  /** The in-VPC GitHub Actions runner; absent without ci.connectionArn (a pipeline other than GitHub Actions). */
  readonly ciRunner?: GitHubActionsRunner;

  constructor(scope: Construct, config: EnvironmentConfig) {
    const name = infrastructureStackName(config.name);
    super(scope, name);
    this.config = config;
    configureStateBackend(this, name, config.stateBackend);
    configureAwsProvider(this, name, config);
    const prefix = config.resourcePrefix;
    const keys = (this.keys = new PlatformKeys(this, IDS.keys, {
      namePrefix: prefix,
      clusterRoleName: clusterRoleName(config.clusterName),
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
    const nodeGroup = (pool: NodePool, settings: TaskPool["settings"]) =>
      new ManagedNodeGroup(nodeGroupsScope, pool, {
        clusterName,
        kubernetesVersion: config.eksVersion,
        name: pool,
        nodeRoleArn: nodeRole.roleArn,
        subnetIds: this.network.privateSubnetIds,
        instanceTypes: settings.instanceTypes,
        architecture: nodeGroupArchitecture(config, settings.instanceTypes),
        capacityType: settings.capacityType,
        minSize: settings.minSize,
        maxSize: settings.maxSize,
        desiredSize: settings.desiredSize,
        diskSize: Size.gibibytes(settings.diskSizeGiB),
        labels: nodePoolLabels(pool),
        taints: nodePoolTaints(pool),
        dependsOn: [...nodeRole.policyAttachments, ...networkAddons.installed],
      });
    const system = nodeGroup(SYSTEM_POOL, config.nodeGroups.system);
    const pools = new Map(taskPools(config).map((pool) => [pool.name, nodeGroup(pool.name, pool.settings)]));
    const tasks = pools.get(DEFAULT_TASK_POOL);
    if (!tasks) throw new Error(`${name}: the default task pool is missing from taskPools()`);
    this.nodeGroups = { system, tasks, taskPools: pools };

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
    this.loadBalancerControllerRoleArn = new LoadBalancerControllerRole(this, "load-balancer-controller-role", {
      clusterName: config.clusterName,
      oidc: this.cluster.oidc,
      partition: config.partition,
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
    if (config.airflow.image.source === "platform") {
      this.airflowImage = new AirflowImageRepository(this, IDS.airflowImage, {
        name: airflowImageRepositoryName(config),
        kmsKeyArn: keys.images.keyArn,
        keepTaggedImages: config.taskImages.keepTaggedImages,
        expireUntaggedAfter: Duration.days(config.taskImages.expireUntaggedAfterDays),
      });
    }
    this.ciRunner = this.createCiRunner();
    addInfrastructureOutputs(this, this);
  }

  /**
   * Where the pipeline's cluster jobs run (the API endpoint is private), and what they may read:
   * the plan role's view access when ci.planRoleArn is given, the runner when ci.connectionArn is.
   */
  private createCiRunner(): GitHubActionsRunner | undefined {
    const { config } = this;
    const { connectionArn, planRoleArn } = config.ci;
    if (connectionArn === undefined && planRoleArn === undefined) return undefined;
    const scope = new Construct(this, IDS.ciRunner);
    if (planRoleArn !== undefined) {
      new PipelineClusterAccess(scope, "cluster-access", {
        clusterName: this.cluster.clusterName,
        partition: config.partition,
        planRoleArn,
      });
    }
    if (connectionArn === undefined) return undefined;
    return new GitHubActionsRunner(scope, "runner", {
      projectName: ciRunnerProjectName(config),
      partition: config.partition,
      region: config.account.region,
      accountId: config.account.id,
      repository: config.ci.repository,
      // Validation requires the actor ids wherever a connection (the runner) is given.
      actorIds: config.ci.runnerActorIds ?? [],
      connectionArn,
      vpcId: this.network.vpcId,
      subnetIds: this.network.privateSubnetIds,
      clusterSecurityGroupId: this.cluster.clusterSecurityGroupId,
      computeType: config.ci.runner.computeType,
      buildTimeout: Duration.minutes(config.ci.runner.buildTimeoutMinutes),
      logsKeyArn: this.keys.logs.keyArn,
      // Kept as long as the cluster's audit log: the runner's logs say who changed the cluster.
      logRetention: Duration.days(config.cluster.controlPlaneLogRetentionDays),
    });
  }

  private createNetwork(flowLogsKeyArn: string): NetworkRef {
    const { config } = this;
    const existing = config.network.existingVpc;
    if (existing) return new ImportedNetwork(this, IDS.network, existing);
    const { vpcCidr } = config.network;
    if (vpcCidr === undefined) throw new Error(`${config.name}: network.vpcCidr was not validated`);
    return new VpcNetwork(this, IDS.network, {
      namePrefix: config.resourcePrefix,
      clusterName: config.clusterName,
      availabilityZones: config.availabilityZones,
      vpcCidr,
      privateSubnetCidrs: config.subnets.privateCidrs,
      publicSubnetCidrs: config.subnets.publicCidrs,
      natGateways: config.network.natGateways,
      flowLogs: { retention: Duration.days(config.network.flowLogRetentionDays), kmsKeyArn: flowLogsKeyArn },
    });
  }
}

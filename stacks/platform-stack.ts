import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import { AirflowRelease } from "../constructs/airflow/airflow-release";
import { AirflowSecrets } from "../constructs/airflow/airflow-secrets";
import { BreakGlassAdmin } from "../constructs/airflow/break-glass-admin";
import { AIRFLOW_RELEASE_NAME, CHART_OBJECT_NAMES } from "../constructs/airflow/chart-versions";
import { MetadataConnection } from "../constructs/airflow/metadata-connection";
import { TaskNamespace } from "../constructs/airflow/task-namespace";
import { TaskPodMounts } from "../constructs/airflow/task-pod-mounts";
import { KubeSystemPodSecurity } from "../constructs/kubernetes/kube-system-pod-security";
import { NetworkPolicyResources } from "../constructs/kubernetes/network-policy-resources";
import { NAMESPACE_POD_SECURITY, podSecurityLabels } from "../constructs/kubernetes/pod-security";
import { networkPoliciesFor } from "../configuration/derived/network-policies";
import { ClusterAutoscalerRelease } from "../constructs/autoscaler/cluster-autoscaler-release";
import { Construct, TerraformStack, type ITerraformDependable } from "../constructs/core";
import { AirflowDatabaseLogins } from "../constructs/database/airflow-logins";
import { DatabaseBootstrap } from "../constructs/database/database-bootstrap";
import { DeployedGenerationCheck } from "../constructs/database/deployed-generation";
import { podNetworkCidrs } from "../constructs/database/pod-network";
import { DatadogAgentRelease } from "../constructs/datadog/datadog-agent-release";
import { LoadBalancerControllerRelease } from "../constructs/ingress/load-balancer-controller-release";
import { ClusterProviders } from "../constructs/kubernetes/cluster-providers";
import { SecretFromSecretsManager } from "../constructs/kubernetes/secret-from-secrets-manager";
import { GIT_SSH_KEY_SECRET_KEY } from "../constructs/airflow/git-sync";
import { LogVolume } from "../constructs/storage/log-volume";
import type { EnvironmentConfig } from "../configuration/schema/environment-config";
import { configureAwsProvider } from "./aws-provider";
import { PLATFORM_IDS as IDS, platformStackName } from "../configuration/derived/construct-paths";
import type { InfrastructureStack } from "./infrastructure-stack";
import { airflowValuesFor, LOG_CLAIM_NAME } from "../configuration/derived/airflow-values";
import { datadogAgentPropsFor } from "../configuration/derived/datadog-agent";
import { BREAK_GLASS_SECRET_NAME, SSO_CLIENT_SECRET_NAME } from "../configuration/derived/api-server-access";
import { configureStateBackend, ownState } from "./state-backend";
import { taskQuotaFor } from "../configuration/derived/task-pools";

/**
 * `<env>-platform`: the cluster from the infrastructure stack turned into a running Airflow.
 * Autoscaler → load balancer controller → log volume → secrets → database logins → database
 * bootstrap Job → metadata connection → Airflow release (with the API server's Ingress) → task
 * namespace → Datadog agent.
 * Every value it needs from AWS comes through the infrastructure stack's typed properties.
 */
export class PlatformStack extends TerraformStack {
  readonly airflowNamespace: string;

  constructor(scope: Construct, config: EnvironmentConfig, infrastructure: InfrastructureStack) {
    const name = platformStackName(config.name);
    super(scope, name);
    configureStateBackend(this, name, config.stateBackend);
    configureAwsProvider(this, name, config);
    const cluster = infrastructure.cluster;
    new ClusterProviders(this, "cluster-providers", {
      clusterName: cluster.clusterName,
      endpoint: cluster.endpoint,
      certificateAuthority: cluster.certificateAuthority,
      region: config.account.region,
    });
    new ClusterAutoscalerRelease(this, IDS.clusterAutoscaler, {
      clusterName: cluster.clusterName,
      region: config.account.region,
      kubernetesVersion: config.eksVersion,
      roleArn: infrastructure.clusterAutoscalerRoleArn,
    });
    const loadBalancerController = new LoadBalancerControllerRelease(this, IDS.loadBalancerController, {
      clusterName: cluster.clusterName,
      region: config.account.region,
      vpcId: infrastructure.network.vpcId,
      roleArn: infrastructure.loadBalancerControllerRoleArn,
    });

    const airflow = config.airflow;
    const airflowNamespace = new NamespaceV1(this, "airflow-namespace", {
      metadata: { name: airflow.namespace, labels: { "app.kubernetes.io/part-of": "airflow", ...podSecurityLabels(NAMESPACE_POD_SECURITY.airflow) } },
    });
    const namespace = airflowNamespace.metadata.name;
    const logVolume = new LogVolume(this, IDS.logVolume, {
      namespace,
      fileSystemId: infrastructure.logStorage.fileSystemId,
      accessPointId: infrastructure.logStorage.accessPointId,
      claimName: LOG_CLAIM_NAME,
    });
    const secrets = new AirflowSecrets(this, IDS.airflowSecrets, {
      namespace,
      names: airflow.secretNames,
      secretsManagerName: `${config.resourcePrefix}/airflow-secrets`,
      kmsKeyArn: infrastructure.keys.airflowSecrets.keyArn,
    });
    const database = infrastructure.database;
    const logins = new AirflowDatabaseLogins(this, IDS.databaseLogins, {
      secretsManagerName: `${config.resourcePrefix}/airflow-database-logins`,
      kmsKeyArn: infrastructure.keys.airflowSecrets.keyArn,
      passwordGeneration: config.database.airflowPasswordGeneration,
    });
    const bootstrap = new DatabaseBootstrap(this, IDS.databaseBootstrap, {
      namespace,
      databaseHost: database.address,
      databasePort: database.port,
      databaseName: database.databaseName,
      masterSecretArn: database.masterSecretArn,
      region: config.account.region,
      roleArn: infrastructure.databaseBootstrapRoleArn,
      activeLogin: { user: logins.activeLogin, password: logins.passwords[logins.activeLogin] },
      loginsVersion: logins.version,
      passwordGeneration: config.database.airflowPasswordGeneration,
      environment: config.name,
    });
    const connection = new MetadataConnection(this, IDS.metadataConnection, {
      namespace,
      releaseName: AIRFLOW_RELEASE_NAME,
      databaseHost: database.address,
      databasePort: database.port,
      databaseName: database.databaseName,
      metadataPoolSize: airflow.pgbouncer.metadataPoolSize,
      maxClientConnections: airflow.pgbouncer.maxClientConnections,
      podNetworkCidrs: podNetworkCidrs(config.network),
      logins,
      after: [bootstrap.job],
    });
    // Refuses, at plan time, a generation more than one away from the deployed one.
    new DeployedGenerationCheck(this, IDS.deployedGeneration, {
      generation: config.database.airflowPasswordGeneration,
      environment: config.name,
      ownState: ownState(this, name, config.stateBackend, config.account.id),
      loginPasswords: logins.passwordResources,
      deployedAfter: [bootstrap.job, ...connection.secrets],
    });
    const loginSecrets = this.createLoginSecrets(config, namespace, infrastructure);
    const gitKey = this.copyGitSshKey(config, namespace);
    const gitKeyDependables = gitKey ? [gitKey.secret] : [];
    const release = new AirflowRelease(this, IDS.airflow, {
      environment: config.name,
      namespace,
      values: airflowValuesFor(config),
      // The bootstrap Job before the chart's migration job: Airflow's role must exist first. The
      // controller's admission webhook must be served before the chart's Ingress is created.
      dependsOn: [logVolume.dependable, ...secrets.secrets, bootstrap.job, ...connection.secrets, ...loginSecrets, ...gitKeyDependables, loadBalancerController.release],
    });
    const tasks = new TaskNamespace(this, IDS.taskNamespace, {
      name: airflow.taskNamespace,
      airflowNamespace: airflow.namespace,
      launcherServiceAccounts: [CHART_OBJECT_NAMES.schedulerServiceAccount],
      logReaderServiceAccounts: [CHART_OBJECT_NAMES.apiServerServiceAccount],
      taskRoleArn: airflow.taskRoleArn,
      defaultResources: airflow.taskPod,
      quota: taskQuotaFor(config),
    });
    // Task pods run in the task namespace and mount what they need there.
    new TaskPodMounts(this, "task-pod-mounts", {
      airflowNamespace: namespace,
      taskNamespace: tasks.namespace,
      release: release.release,
      log: { fileSystemId: infrastructure.logStorage.fileSystemId, accessPointId: infrastructure.logStorage.accessPointId, claimName: LOG_CLAIM_NAME, storageClassName: logVolume.storageClassName },
      gitSshKey: gitKey,
    });
    const datadog = new DatadogAgentRelease(this, IDS.datadogAgent, datadogAgentPropsFor(config));
    new KubeSystemPodSecurity(this, "kube-system-pod-security");
    new NetworkPolicyResources(this, "network-policies", { policies: networkPoliciesFor(config), dependsOn: [airflowNamespace, tasks.namespaceResource, datadog.namespace] });
    this.airflowNamespace = airflow.namespace;
  }

  /** The DAG repository's deploy key, when it comes from Secrets Manager: gitSync and task pods mount it. */
  private copyGitSshKey(config: EnvironmentConfig, namespace: string): SecretFromSecretsManager | undefined {
    const git = config.airflow.gitSync;
    if (!git.sshKeyFromSecretsManager || !git.sshKeySecretName) return undefined;
    return new SecretFromSecretsManager(this, IDS.gitSshKey, {
      namespace,
      secretName: git.sshKeySecretName,
      key: GIT_SSH_KEY_SECRET_KEY,
      secretsManagerArn: git.sshKeyFromSecretsManager.secretArn,
      jsonKey: git.sshKeyFromSecretsManager.jsonKey,
    });
  }

  /** The break-glass admin's password, and the OAuth client secret when it comes from Secrets Manager. */
  private createLoginSecrets(config: EnvironmentConfig, namespace: string, infrastructure: InfrastructureStack): ITerraformDependable[] {
    const breakGlass = new BreakGlassAdmin(this, IDS.breakGlassAdmin, {
      namespace,
      username: config.airflow.auth.breakGlassUsername,
      secretName: BREAK_GLASS_SECRET_NAME,
      secretsManagerName: `${config.resourcePrefix}/airflow-break-glass-admin`,
      kmsKeyArn: infrastructure.keys.airflowSecrets.keyArn,
    });
    const clientSecret = config.airflow.auth.sso?.clientSecret;
    if (!clientSecret?.secretsManagerArn) return [breakGlass.secret];
    const copied = new SecretFromSecretsManager(this, IDS.ssoClientSecret, {
      namespace,
      secretName: SSO_CLIENT_SECRET_NAME,
      key: clientSecret.key,
      secretsManagerArn: clientSecret.secretsManagerArn,
      jsonKey: clientSecret.jsonKey,
    });
    return [breakGlass.secret, copied.secret];
  }
}

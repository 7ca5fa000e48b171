// The public surface of airflow-platform: re-exports only.

// One environment, three stacks.
export { AirflowPlatform } from "./stacks/airflow-platform";
export { InfrastructureStack } from "./stacks/infrastructure-stack";
export { PlatformStack } from "./stacks/platform-stack";
export { ObservabilityStack } from "./stacks/observability-stack";

// Environments: the shipped ones, the shared base, and validation.
export { baseEnvironment } from "./environments/base";
export { mergeEnvironment, type EnvironmentOverrides } from "./configuration/schema/merge";
export { SHIPPED_ENVIRONMENTS, loadEnvironments, validateEnvironment, validateEnvironments } from "./environments";
export type { EnvironmentConfig } from "./configuration/schema/environment-config";
export type { EnvironmentInput } from "./configuration/schema/environment";
export { ConfigError, type ConfigProblem } from "./lib/config-error";
export { synthesizeEnvironments } from "./tools/synth/synthesize";
export { PROTECTED_CHART_VALUES } from "./configuration/validation/protected-values";
export { isExampleAccountId } from "./configuration/rules/placeholder-rules";

// The shipped command's code, for an app's own entry point: print configuration errors as
// `npm run synth` does (once, every problem, no stack trace) and synthesize with its summary.
export { runCli, helpText } from "./cli/main";
export { withConfigErrors, processIo, type CommandIo, type EnvironmentModule } from "./tools/common/command-io";
export { synthEnvironments, type SynthOptions } from "./tools/synth/synth-verb";
export { capacityCommand } from "./tools/capacity/capacity-verb";
export { releaseManifest, comparePromotion, type PromotionDifference } from "./tools/promotion/promotion";

// Values with units.
export { Duration, Size, type DbInstanceClass, type Ec2InstanceType } from "./lib/units";

// Building blocks: AWS.
export { VpcNetwork, type VpcNetworkProps, type NatGatewayMode } from "./constructs/network/vpc-network";
export { ImportedNetwork, type ImportedNetworkProps } from "./constructs/network/imported-network";
export type { NetworkRef } from "./constructs/network/network-ref";
export { PlatformKeys, type PlatformKeysProps } from "./constructs/security/platform-keys";
export { EncryptionKey, type EncryptionKeyProps } from "./constructs/security/encryption-key";
export { AirflowCluster, type AirflowClusterProps } from "./constructs/cluster/eks-cluster";
export { EksAddonSet, type EksAddonSetProps } from "./constructs/cluster/eks-addons";
export { EKS_ADDON_VERSIONS, type EksVersion } from "./constructs/cluster/addon-versions";
export { ManagedNodeGroup, type ManagedNodeGroupProps } from "./constructs/cluster/managed-node-group";
export { NodeRole, type NodeRoleProps } from "./constructs/cluster/node-role";
export { IrsaRole, type IrsaRoleProps } from "./constructs/iam/irsa-role";
export { ClusterAutoscalerRole, type ClusterAutoscalerRoleProps } from "./constructs/autoscaler/cluster-autoscaler-role";
export { LogFileSystem, type LogFileSystemProps } from "./constructs/storage/log-file-system";
export { MetadataDatabase, type MetadataDatabaseProps } from "./constructs/database/metadata-database";
export { DEFAULT_PASSWORD_ROTATION, rotationRules, type PasswordRotationWindow } from "./constructs/database/password-rotation";
export { DatabaseBootstrapRole, type DatabaseBootstrapRoleProps } from "./constructs/database/bootstrap-role";
export { TaskImageRepositories, type TaskImageRepositoriesProps } from "./constructs/registry/task-image-repositories";
export { AirflowImageRepository, type AirflowImageRepositoryProps } from "./constructs/registry/airflow-image-repository";
export { ecrRepositoryUrl, imageLifecyclePolicy } from "./constructs/registry/image-repository";
export { airflowImageDockerfile, airflowImageTag, PLATFORM_AIRFLOW_IMAGE, type AirflowImageRecipe } from "./constructs/airflow/airflow-image";
export { GitHubActionsRunner, type GitHubActionsRunnerProps, runnerLabel } from "./constructs/ci/github-actions-runner";
export { PipelineClusterAccess, type PipelineClusterAccessProps } from "./constructs/ci/pipeline-cluster-access";
export { LoadBalancerControllerRole, type LoadBalancerControllerRoleProps } from "./constructs/ingress/load-balancer-controller-role";

// Building blocks: Kubernetes and Helm.
export { ClusterProviders, type ClusterConnection } from "./constructs/kubernetes/cluster-providers";
export { ClusterAutoscalerRelease, type ClusterAutoscalerReleaseProps } from "./constructs/autoscaler/cluster-autoscaler-release";
export { LogVolume, type LogVolumeProps } from "./constructs/storage/log-volume";
export { AirflowSecrets, type AirflowSecretsProps } from "./constructs/airflow/airflow-secrets";
export { MetadataConnection, type MetadataConnectionProps } from "./constructs/airflow/metadata-connection";
export { AirflowDatabaseLogins, type AirflowDatabaseLoginsProps } from "./constructs/database/airflow-logins";
export { DatabaseBootstrap, type DatabaseBootstrapProps } from "./constructs/database/database-bootstrap";
export { AIRFLOW_LOGIN_ROLES, AIRFLOW_OWNER_ROLE, activeLoginRole } from "./constructs/database/airflow-roles";
export { AirflowRelease, type AirflowReleaseProps } from "./constructs/airflow/airflow-release";
export { airflowValues, type AirflowValuesInput } from "./constructs/airflow/airflow-values";
export { validateAirflowValues, type ValuesViolation } from "./constructs/airflow/values-schema";
export { TaskNamespace, type TaskNamespaceProps } from "./constructs/airflow/task-namespace";
export { LoadBalancerControllerRelease, type LoadBalancerControllerReleaseProps } from "./constructs/ingress/load-balancer-controller-release";
export { BreakGlassAdmin, type BreakGlassAdminProps } from "./constructs/airflow/break-glass-admin";
export { SecretFromSecretsManager, type SecretFromSecretsManagerProps } from "./constructs/kubernetes/secret-from-secrets-manager";
export { apiServerAccessValues, type ApiServerAccessInput } from "./constructs/airflow/api-server-access";
export { webserverConfig, type SsoSettings } from "./constructs/airflow/webserver-config";
export { DatadogAgentRelease, type DatadogAgentReleaseProps } from "./constructs/datadog/datadog-agent-release";
export { pgbouncerCheckAnnotations } from "./constructs/datadog/pgbouncer-check";

// Building blocks: Datadog.
export { PlatformMonitors, type PlatformMonitorsProps } from "./constructs/datadog/platform-monitors";
export { SlackChannels } from "./constructs/datadog/slack-channels";
export { PlatformDashboard, dashboardDefinition, type PlatformDashboardProps } from "./constructs/datadog/platform-dashboard";
export type { SlackRouting } from "./constructs/datadog/slack-routing";
export { checkMonitorSpec, type MonitorSpec, type Severity } from "./constructs/datadog/monitor-spec";
export { parseMonitorQuery } from "./constructs/datadog/monitor-query";
export { buildMetricCatalog, type MetricCatalog, type DeclaredMetric } from "./constructs/datadog/metric-catalog";
export { metricCatalogFor } from "./configuration/derived/metric-catalog";

// Capacity and the facts it reads (data/aws, plus an environment's extras).
export { ec2InstanceTypes, dbInstanceClasses, type CpuArchitecture, type Ec2InstanceType as Ec2InstanceFacts, type DbInstanceClassFacts } from "./sizing/instance-data";
export { availabilityZonesOf } from "./constructs/network/availability-zones";
export { capacityTables, type CapacityTables } from "./tools/capacity/capacity-report";
export { runCapacityCommand, CAPACITY_USAGE, type CommandOutput } from "./tools/capacity/capacity-command";
export { replayNight, type NightlyReport, type NightlyAssumptions } from "./tools/capacity/nightly-replay";
export { replay, type ReplayPool, type ReplaySettings, type ReplayResult } from "./tools/capacity/replay";
export { parseDagExport, parseRunsExport, ExportError, type ExportProblem } from "./tools/capacity/airflow-export";
export { buildWorkload, criticalPath, type Workload, type WorkUnit } from "./tools/capacity/workload";
export { taskPools, taskQuotaFor, type TaskPool } from "./configuration/derived/task-pools";

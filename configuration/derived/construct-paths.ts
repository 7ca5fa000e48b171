// Construct ids and stack names, in one place, so the paths in configuration errors are the
// paths the stacks really build (a test walks the synthesized tree to hold them to it).

export const INFRASTRUCTURE_IDS = {
  network: "network",
  keys: "keys",
  cluster: "cluster",
  nodeGroups: "node-groups",
  logStorage: "log-storage",
  database: "metadata-database",
  databaseBootstrapRole: "database-bootstrap-role",
  taskImages: "task-images",
  airflowImage: "airflow-image",
  ciRunner: "ci-runner",
} as const;

export const PLATFORM_IDS = {
  clusterAutoscaler: "cluster-autoscaler",
  logVolume: "log-volume",
  airflowSecrets: "airflow-secrets",
  databaseLogins: "database-logins",
  databaseBootstrap: "database-bootstrap",
  deployedGeneration: "deployed-generation",
  metadataConnection: "metadata-connection",
  airflow: "airflow",
  taskNamespace: "task-namespace",
  datadogAgent: "datadog-agent",
  loadBalancerController: "load-balancer-controller",
  breakGlassAdmin: "break-glass-admin",
  ssoClientSecret: "sso-client-secret",
  gitSshKey: "git-ssh-key",
} as const;

export const OBSERVABILITY_IDS = {
  monitors: "monitors",
  slackChannels: "slack-channels",
  dashboard: "dashboard",
} as const;

export function infrastructureStackName(environment: string): string {
  return `${environment}-infrastructure`;
}

/** A stack's construct path: stacks live under the environment's AirflowPlatform, `<env>/<stack>`. */
export function stackPath(environment: string, stackName: string): string {
  return `${environment}/${stackName}`;
}

export function platformStackName(environment: string): string {
  return `${environment}-platform`;
}

export function observabilityStackName(environment: string): string {
  return `${environment}-observability`;
}

function pathForObservabilityField(environment: string, child: string | number | undefined): string {
  switch (child) {
    case "datadogSite":
    case "apiKeySecretName":
    case "apiKeyFromSecretsManager":
      return `${stackPath(environment, platformStackName(environment))}/${PLATFORM_IDS.datadogAgent}`;
    case "slack":
      return `${stackPath(environment, observabilityStackName(environment))}/${OBSERVABILITY_IDS.slackChannels}`;
    default:
      return `${stackPath(environment, observabilityStackName(environment))}/${OBSERVABILITY_IDS.monitors}`;
  }
}

function platformPathForAirflowField(environment: string, child: string | number | undefined): string {
  const stack = stackPath(environment, platformStackName(environment));
  switch (child) {
    case "pgbouncer":
      return `${stack}/${PLATFORM_IDS.metadataConnection}`;
    case "taskNamespace":
    case "taskQuota":
    case "taskRoleArn":
      return `${stack}/${PLATFORM_IDS.taskNamespace}`;
    case "secretNames":
      return `${stack}/${PLATFORM_IDS.airflowSecrets}`;
    default:
      return `${stack}/${PLATFORM_IDS.airflow}`;
  }
}

/** Which construct an environment-file field configures, as a path from the app root. */
export function constructPathForField(environment: string, field: readonly (string | number)[]): string {
  const stack = stackPath(environment, infrastructureStackName(environment));
  const [section, child] = field;
  switch (section) {
    case "availabilityZones":
    case "network":
      return `${stack}/${INFRASTRUCTURE_IDS.network}`;
    case "cluster":
      return `${stack}/${INFRASTRUCTURE_IDS.cluster}`;
    case "nodeGroups":
      // A task pool's node group is named by the pool: nodeGroups.taskPools.memory is node-groups/memory.
      if (child === "taskPools" && typeof field[2] === "string") return `${stack}/${INFRASTRUCTURE_IDS.nodeGroups}/${field[2]}`;
      return typeof child === "string" && child !== "taskPools"
        ? `${stack}/${INFRASTRUCTURE_IDS.nodeGroups}/${child}`
        : `${stack}/${INFRASTRUCTURE_IDS.nodeGroups}`;
    case "database":
      // Airflow's own password lives in the platform stack; the rest of the section is RDS.
      return child === "airflowPasswordGeneration"
        ? `${stackPath(environment, platformStackName(environment))}/${PLATFORM_IDS.databaseLogins}`
        : `${stack}/${INFRASTRUCTURE_IDS.database}`;
    case "logStorage":
      // Retention is enforced by the log groomer in Airflow's release; the rest is the file system's.
      return child === "retentionDays" ? platformPathForAirflowField(environment, undefined) : `${stack}/${INFRASTRUCTURE_IDS.logStorage}`;
    case "taskImages":
      return `${stack}/${INFRASTRUCTURE_IDS.taskImages}`;
    case "ci":
      return `${stack}/${INFRASTRUCTURE_IDS.ciRunner}`;
    case "airflow":
      return platformPathForAirflowField(environment, child);
    case "observability":
      return pathForObservabilityField(environment, child);
    default:
      return stack;
  }
}

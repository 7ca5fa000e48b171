import type { EnvironmentOverrides } from "../configuration/schema/merge";

/**
 * What every environment shares unless it says otherwise. Versions live here so that staging and
 * prod run what dev ran; sizes, counts and names are what environment files override.
 */
export const baseEnvironment: EnvironmentOverrides = {
  account: { region: "eu-west-1" },
  cluster: {
    version: "1.35",
    publicEndpointCidrs: [],
    serviceIpv4Cidr: "172.20.0.0/16",
    controlPlaneLogRetentionDays: 365,
  },
  network: { flowLogRetentionDays: 365 },
  nodeGroups: {
    system: { instanceTypes: ["m6i.xlarge"], capacityType: "ON_DEMAND", diskSizeGiB: 50 },
    // Tasks run for up to 8 hours: spot reclaims would kill them mid-run, so on-demand.
    tasks: { instanceTypes: ["m6i.2xlarge"], capacityType: "ON_DEMAND", diskSizeGiB: 100 },
    // Every environment has the same pools (a DAG that chooses one works everywhere); only their
    // sizes differ. Memory-optimised nodes from zero for the few tasks that need 48 GiB.
    taskPools: {
      // Complete, so an environment that does not size it still validates: at most one node, from zero.
      memory: { instanceTypes: ["r6i.2xlarge"], capacityType: "ON_DEMAND", minSize: 0, maxSize: 1, diskSizeGiB: 100 },
    },
  },
  database: {
    engineVersion: "17.9",
    performanceInsightsRetentionDays: 7,
    backupWindow: "01:00-02:00",
    maintenanceWindow: "sun:10:00-sun:11:00",
    // RDS rotates the master password; daytime, clear of the nightly run. Nothing running uses it.
    passwordRotation: { dayOfWeek: "tue", startHourUtc: 14, hours: 2 },
    // Bump by exactly one to rotate Airflow's own database password (README, "Rotation").
    airflowPasswordGeneration: 0,
  },
  // Logs move to Infrequent Access after 30 days and are deleted after 60 (prod: 180).
  logStorage: { transitionToInfrequentAccessDays: 30, retentionDays: 60 },
  taskImages: { repositories: ["airflow-tasks"], keepTaggedImages: 50, expireUntaggedAfterDays: 14 },
  airflow: {
    namespace: "airflow",
    taskNamespace: "airflow-tasks",
    pgbouncer: { replicas: 1, maxClientConnections: 1000, metadataPoolSize: 20 },
    gitSync: {
      // Placeholder repository: point it at your DAGs before a real deploy.
      repository: "git@github.com:example-org/airflow-dags.git",
      branch: "main",
      subPath: "dags",
      periodSeconds: 60,
      sshKeySecretName: "airflow-git-ssh-key",
      // GitHub's published ed25519 host key (public, from GitHub's SSH key fingerprints page).
      knownHosts: "github.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl",
    },
    taskPod: { cpuMillicores: 1000, memoryMiB: 2048, cpuLimitMillicores: 2000, memoryLimitMiB: 4096 },
    // The platform's own image, with the datadog package Airflow's DogStatsD client needs: built
    // by the pipeline into each environment's ECR (README, "Airflow's image").
    image: { source: "platform" },
    // What a DAG gives its biggest tasks, with `airflow-platform/pool: memory` as node selector.
    taskSizes: { bigmem: { cpuMillicores: 2000, memoryMiB: 49152, cpuLimitMillicores: 4000, memoryLimitMiB: 49152 } },
  },
  observability: {
    datadogSite: "datadoghq.eu",
    apiKeySecretName: "datadog-secret",
    team: "data-platform",
    // Placeholder Slack workspace: the account name as configured in Datadog's Slack integration.
    slack: { account: "example-org", channels: { critical: "airflow-alerts", warning: "airflow-warnings" } },
    // The nightly pipeline: 8 hours at most, done by 9 a.m. where the team works.
    criticalDags: [{ dagId: "high_priorities", deadlineHours: 8, finishBy: "09:00", timezone: "Europe/Dublin" }],
    statsdClient: "dogstatsd",
    longTaskHours: 3,
  },
  // Placeholder repository: the GitHub repository that holds this project and its workflow.
  // Placeholder GitHub user ids: the members who may start the in-VPC runners (docs/pipeline-security.md).
  ci: { repository: "example-org/airflow-platform", runnerActorIds: [10000001, 10000002], runner: { computeType: "BUILD_GENERAL1_MEDIUM", buildTimeoutMinutes: 90 } },
  tags: { project: "airflow-platform", "managed-by": "cdktf" },
};

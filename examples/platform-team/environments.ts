// A second team's own environments: us-east-1, `stage` on a VPC the platform creates and `live`
// on the team's existing VPC, smaller task nodes, a task node type the shipped data does not list,
// their own account, state bucket, Slack workspace and DAG repository, and a monitor of their own.
// Nothing here is an example value: `airflow-platform` would refuse one in staging or prod.
import { baseEnvironment, mergeEnvironment, type EnvironmentOverrides } from "airflow-platform";

const team: EnvironmentOverrides = {
  account: { id: "210987654321", region: "us-east-1" },
  // A type launched after the package's data was taken: its facts, and where they come from.
  extraInstanceTypes: [
    { type: "m9a.xlarge", architecture: "x86_64", vcpu: 4, memoryMiB: 16384, maxPods: 58, reason: "new AMD generation; figures from aws ec2 describe-instance-types and the max-pods calculator" },
  ],
  // The team's own repository, its connection to GitHub and its plan role (README, Day one).
  ci: {
    repository: "data-platform-team/airflow-platform",
    connectionArn: "arn:aws:codeconnections:us-east-1:210987654321:connection/8d3f2b6e-1c4a-4f7e-9a05-6e2d7c1b4f90",
    planRoleArn: "arn:aws:iam::210987654321:role/dpt-airflow-plan",
  },
  nodeGroups: {
    system: { instanceTypes: ["m7a.large"] },
    tasks: { instanceTypes: ["m9a.xlarge"] },
  },
  airflow: {
    gitSync: {
      repository: "git@github.com:data-platform-team/pipelines.git",
      subPath: "dags",
    },
    taskPod: { cpuMillicores: 500, memoryMiB: 1024, cpuLimitMillicores: 1000, memoryLimitMiB: 2048 },
  },
  observability: {
    datadogSite: "datadoghq.com",
    team: "data-platform-team",
    slack: { account: "data-platform-team", channels: { critical: "dpt-airflow-alerts", warning: "dpt-airflow-warnings" } },
    criticalDags: [{ dagId: "nightly_load", deadlineHours: 6 }],
    customMonitors: [
      {
        key: "task-node-cpu",
        name: "Task nodes near their CPU",
        severity: "warning",
        query: "avg(last_30m):avg:kubernetes.cpu.usage.total{node_pool:tasks} by {host} > 3800000000",
        critical: 3800000000,
        summary: "A task node has used nearly all its CPU for 30 minutes.",
        impact: "Tasks on it slow down; the nightly run may miss its deadline.",
        firstCheck: "Which DAG's tasks are on the node, and whether their CPU requests are too small.",
      },
    ],
  },
};

export const stage = mergeEnvironment(baseEnvironment, team, {
  name: "stage",
  stage: "staging",
  availabilityZones: ["us-east-1a", "us-east-1b", "us-east-1c"],
  network: { vpcCidr: "10.70.0.0/16", natGateways: "single" },
  nodeGroups: {
    system: { minSize: 2, maxSize: 3, desiredSize: 2 },
    tasks: { minSize: 0, maxSize: 8, desiredSize: 0 },
    taskPools: { memory: { maxSize: 2 } },
  },
  database: { instanceClass: "db.m7g.large", allocatedStorageGiB: 50, maxAllocatedStorageGiB: 200, maxConnections: 600, backupRetentionDays: 7, multiAz: false },
  airflow: { parallelism: 28, schedulerReplicas: 2, apiServerReplicas: 2, pgbouncer: { replicas: 2, metadataPoolSize: 30 }, taskQuota: { cpuMillicores: 40000, memoryMiB: 163840, pods: 120 } },
  stateBackend: { kind: "s3", bucket: "dpt-terraform-state-us-east-1", region: "us-east-1", kmsKeyId: "alias/dpt-terraform-state" },
  tags: { environment: "stage", team: "data-platform-team" },
});

export const live = mergeEnvironment(baseEnvironment, team, {
  name: "live",
  stage: "prod",
  availabilityZones: ["us-east-1a", "us-east-1b", "us-east-1d"],
  // The team's shared-services VPC: no VPC, subnets or NAT gateways are created, so neither
  // vpcCidr nor natGateways is given.
  network: {
    existingVpc: {
      vpcId: "vpc-0d1e2f3a4b5c6d7e8",
      privateSubnetIds: ["subnet-0d1e2f3a4b5c60101", "subnet-0d1e2f3a4b5c60102", "subnet-0d1e2f3a4b5c60104"],
      publicSubnetIds: [],
    },
  },
  nodeGroups: {
    system: { minSize: 2, maxSize: 4, desiredSize: 2 },
    tasks: { minSize: 1, maxSize: 30, desiredSize: 1 },
    taskPools: { memory: { maxSize: 4 } },
  },
  database: { instanceClass: "db.r7g.large", allocatedStorageGiB: 100, maxAllocatedStorageGiB: 1000, maxConnections: 1000, backupRetentionDays: 14, multiAz: true },
  airflow: { parallelism: 100, schedulerReplicas: 2, apiServerReplicas: 2, pgbouncer: { replicas: 2, metadataPoolSize: 40 }, taskQuota: { cpuMillicores: 240000, memoryMiB: 983040, pods: 400 } },
  observability: { pageHandle: "@pagerduty-data-platform" },
  stateBackend: { kind: "s3", bucket: "dpt-terraform-state-us-east-1", region: "us-east-1", kmsKeyId: "alias/dpt-terraform-state" },
  tags: { environment: "live", team: "data-platform-team" },
});

/** What the `airflow-platform` command reads: name → environment. */
export const environments = { stage, live };

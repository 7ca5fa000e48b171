import { baseEnvironment } from "./base";
import { mergeEnvironment } from "../configuration/schema/merge";

/** Development: one NAT gateway, small nodes, a single-zone database; data may be thrown away. */
export const dev = mergeEnvironment(baseEnvironment, {
  name: "dev",
  stage: "dev",
  // An example: its placeholder account, bucket, Slack workspace and DAG repository are allowed.
  example: "dev",
  // Placeholder account: replace with your own before `cdktf deploy` (synthesis needs no account).
  account: { id: "111111111111" },
  availabilityZones: ["eu-west-1a", "eu-west-1b"],
  network: { vpcCidr: "10.10.0.0/16", natGateways: "single", flowLogRetentionDays: 30 },
  cluster: { controlPlaneLogRetentionDays: 30 },
  nodeGroups: {
    system: { instanceTypes: ["m6i.large"], minSize: 1, maxSize: 2, desiredSize: 1 },
    tasks: { instanceTypes: ["m6i.xlarge"], minSize: 0, maxSize: 4, desiredSize: 0 },
    taskPools: { memory: { maxSize: 1 } },
  },
  database: {
    instanceClass: "db.t4g.medium",
    allocatedStorageGiB: 20,
    maxAllocatedStorageGiB: 100,
    maxConnections: 300,
    backupRetentionDays: 1,
    multiAz: false,
  },
  stateBackend: { kind: "local", directory: "terraform-state" },
  airflow: {
    parallelism: 12,
    schedulerReplicas: 1,
    apiServerReplicas: 1,
  },
  observability: { slack: { channels: { critical: "airflow-dev", warning: "airflow-dev" } } },
  policyWaivers: [
    {
      rule: "log-group-encrypted-retained",
      reason: "dev logs are disposable: 30 days keeps debugging possible at a tenth of a year's storage",
    },
    { rule: "CKV_AWS_338", reason: "dev logs are disposable: 30 days keeps debugging possible at a tenth of a year's storage" },
    { rule: "CKV_AWS_293", resource: "metadata-database", reason: "dev's database is disposable: it is rebuilt from nothing, so deletion protection would only stop a teardown" },
    { rule: "CKV_AWS_157", resource: "metadata-database", reason: "dev runs one zone's database: a zone outage costs a night of dev runs, not data" },
  ],
  // Placeholders: the connection authorised by hand (README, Day one) and the pull requests' plan role.
  ci: {
    connectionArn: "arn:aws:codeconnections:eu-west-1:111111111111:connection/00000000-0000-0000-0000-000000000000",
    planRoleArn: "arn:aws:iam::111111111111:role/airflow-platform-plan",
  },
  tags: { environment: "dev" },
});

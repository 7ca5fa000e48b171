import { baseEnvironment } from "./base";
import { mergeEnvironment } from "../configuration/schema/merge";

/** Production: three zones, a NAT gateway per zone, Multi-AZ database, 0 to 60 task nodes. */
export const prod = mergeEnvironment(baseEnvironment, {
  name: "prod",
  stage: "prod",
  // An example: its placeholder account, bucket, Slack workspace and DAG repository are allowed.
  example: "prod",
  // Placeholder account and state bucket: replace before `cdktf deploy`.
  account: { id: "333333333333" },
  availabilityZones: ["eu-west-1a", "eu-west-1b", "eu-west-1c"],
  network: { vpcCidr: "10.30.0.0/16", natGateways: "perZone" },
  nodeGroups: {
    system: { minSize: 2, maxSize: 4, desiredSize: 2 },
    // From zero: replaying the example export, an always-on first node costs 20.6 node-hours a day
    // (about $240 a month) to finish the run 7 minutes sooner, with 3.7 hours to spare (README).
    tasks: { minSize: 0, maxSize: 60, desiredSize: 0 },
    taskPools: { memory: { maxSize: 4 } },
  },
  database: {
    instanceClass: "db.r7g.large",
    allocatedStorageGiB: 100,
    maxAllocatedStorageGiB: 1000,
    maxConnections: 1000,
    backupRetentionDays: 14,
    multiAz: true,
  },
  // Half a year of task logs for audits and month-over-month comparisons; IA after 30 days.
  logStorage: { retentionDays: 180 },
  stateBackend: {
    kind: "s3",
    bucket: "airflow-platform-tfstate-333333333333",
    region: "eu-west-1",
    kmsKeyId: "alias/airflow-platform-tfstate",
  },
  airflow: {
    parallelism: 200,
    schedulerReplicas: 2,
    apiServerReplicas: 2,
    pgbouncer: { replicas: 2, metadataPoolSize: 40 },
  },
  observability: {
    slack: { channels: { critical: "airflow-prod-alerts", warning: "airflow-prod-warnings" } },
    pageHandle: "@here",
  },
  // Placeholders: the connection authorised by hand (README, Day one) and the pull requests' plan role.
  ci: {
    connectionArn: "arn:aws:codeconnections:eu-west-1:333333333333:connection/00000000-0000-0000-0000-000000000000",
    planRoleArn: "arn:aws:iam::333333333333:role/airflow-platform-plan",
  },
  tags: { environment: "prod" },
});

import { baseEnvironment } from "./base";
import { mergeEnvironment } from "../configuration/schema/merge";

/** Staging: prod's shape at a smaller size, so a promotion rehearses the real thing. */
export const staging = mergeEnvironment(baseEnvironment, {
  name: "staging",
  stage: "staging",
  // An example: its placeholder account, bucket, Slack workspace and DAG repository are allowed.
  example: "staging",
  // Placeholder account and state bucket: replace before `cdktf deploy`.
  account: { id: "222222222222" },
  availabilityZones: ["eu-west-1a", "eu-west-1b", "eu-west-1c"],
  network: { vpcCidr: "10.20.0.0/16", natGateways: "single" },
  nodeGroups: {
    system: { minSize: 2, maxSize: 3, desiredSize: 2 },
    // Sized to the example night (npm run capacity -- staging --sweep, docs/capacity.md): with task
    // pods packed, 6 nodes finish it at 4h17 and 4 at 4h18 of an 8 h deadline, and every node at
    // the night's peak is a Datadog host for the month. Raise it, and parallelism, for more DAGs.
    tasks: { minSize: 0, maxSize: 4, desiredSize: 0 },
    taskPools: { memory: { maxSize: 2 } },
  },
  database: {
    instanceClass: "db.m7g.large",
    allocatedStorageGiB: 50,
    maxAllocatedStorageGiB: 200,
    maxConnections: 600,
    backupRetentionDays: 7,
    multiAz: false,
  },
  stateBackend: {
    kind: "s3",
    bucket: "airflow-platform-tfstate-222222222222",
    region: "eu-west-1",
    kmsKeyId: "alias/airflow-platform-tfstate",
  },
  airflow: {
    // At most what the tasks pool holds at its maximum (4 nodes × 7 default task pods = 28).
    parallelism: 14,
    schedulerReplicas: 2,
    apiServerReplicas: 2,
    pgbouncer: { replicas: 2, metadataPoolSize: 30 },
  },
  observability: { slack: { channels: { critical: "airflow-staging-alerts", warning: "airflow-staging-warnings" } } },
  policyWaivers: [
    { rule: "CKV_AWS_157", resource: "metadata-database", reason: "staging runs one zone's database (database.multiAz false): a zone outage pauses rehearsals, it loses no data" },
  ],
  // Placeholders: the connection authorised by hand (README, Day one) and the pull requests' plan role.
  ci: {
    connectionArn: "arn:aws:codeconnections:eu-west-1:222222222222:connection/00000000-0000-0000-0000-000000000000",
    planRoleArn: "arn:aws:iam::222222222222:role/airflow-platform-plan",
  },
  tags: { environment: "staging" },
});

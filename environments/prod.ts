import { baseEnvironment } from "./base";
import { mergeEnvironment } from "./merge";

/** Production: three zones, a NAT gateway per zone, Multi-AZ database, 1 to 60 task nodes. */
export const prod = mergeEnvironment(baseEnvironment, {
  name: "prod",
  stage: "prod",
  // Placeholder account and state bucket: replace before `cdktf deploy`.
  account: { id: "333333333333" },
  availabilityZones: ["eu-west-1a", "eu-west-1b", "eu-west-1c"],
  network: { vpcCidr: "10.30.0.0/16", natGateways: "perZone" },
  nodeGroups: {
    system: { minSize: 2, maxSize: 4, desiredSize: 2 },
    tasks: { minSize: 1, maxSize: 60, desiredSize: 1 },
  },
  database: {
    instanceClass: "db.r7g.large",
    allocatedStorageGiB: 100,
    maxAllocatedStorageGiB: 1000,
    maxConnections: 1000,
    backupRetentionDays: 14,
    multiAz: true,
  },
  stateBackend: {
    kind: "s3",
    bucket: "airflow-platform-tfstate-333333333333",
    region: "eu-west-1",
    kmsKeyId: "alias/airflow-platform-tfstate",
  },
  airflow: {
    parallelism: 256,
    schedulerReplicas: 2,
    apiServerReplicas: 2,
    pgbouncer: { replicas: 2, metadataPoolSize: 40 },
    taskQuota: { cpuMillicores: 480000, memoryMiB: 1966080, pods: 500 },
  },
  observability: {
    slack: { channels: { critical: "airflow-prod-alerts", warning: "airflow-prod-warnings" } },
    pageHandle: "@here",
  },
  tags: { environment: "prod" },
});

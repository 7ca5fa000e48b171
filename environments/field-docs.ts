import { MIN_BACKUP_RETENTION_DAYS } from "./rules";

// What the configuration reference says of a field the schema does not `.describe()`, and what
// each stage requires of it (rules.ts and friends enforce these; this is their summary). Fields
// without an entry still appear in the reference, with their type and default.

export const FIELD_DESCRIPTIONS: Readonly<Record<string, string>> = {
  name: "The environment's name: the construct id, the stacks `<name>-infrastructure|platform|observability` and the `airflow-<name>` prefix of every AWS resource. Unique in an app.",
  stage: "Sets the safety minimums: backups, Multi-AZ, zones, NAT gateways, data protection, paging.",
  example: "The environment's own name when it is an example whose placeholder values may stay (the shipped dev, staging and prod). Not inherited: an environment derived under another name is not an example.",
  account: "The AWS account and region; the provider refuses credentials for any other account.",
  "account.id": "12-digit AWS account id.",
  "account.region": "AWS region of every resource.",
  availabilityZones: "Zones of the region (data/aws/availability-zones.csv), one private (and public) subnet each.",
  network: "The VPC: created (vpcCidr, natGateways) or existing (existingVpc).",
  "network.vpcCidr": "CIDR of the VPC the platform creates (/16–/20). With existingVpc: optional, the existing VPC's CIDR, used only to check the service range does not overlap it.",
  "network.natGateways": "One NAT gateway for all zones, or one per zone. Not used with existingVpc.",
  "network.privateSubnetCidrs": "Private subnet CIDRs, one per zone. @default - a quarter of the VPC each",
  "network.publicSubnetCidrs": "Public subnet CIDRs, one per zone. @default - sixteenths of the VPC's last quarter",
  "network.flowLogRetentionDays": "Days the VPC flow logs are kept (a CloudWatch Logs retention period).",
  "network.existingVpc": "A VPC that exists already: nothing network-related is created. Its subnets need the EKS load-balancer tags and a route out (NAT or VPC endpoints).",
  "network.existingVpc.privateSubnetIds": "One private subnet per zone, in the order of availabilityZones.",
  "network.existingVpc.publicSubnetIds": "None, or one public subnet per zone.",
  cluster: "The EKS control plane.",
  "cluster.version": "EKS Kubernetes minor with pinned add-on versions.",
  "cluster.publicEndpointCidrs": "CIDRs allowed to the public API endpoint; empty keeps the endpoint private.",
  "cluster.adminRoleArns": "IAM roles given cluster-admin through access entries, besides the deploying identity.",
  nodeGroups: "Managed node groups: `system` (Airflow's own pods, the autoscaler) and `tasks` (task pods, tainted).",
  "nodeGroups.system.instanceTypes": "EC2 types of one architecture, known to data/aws/instance-types.csv or added under extraInstanceTypes.",
  "nodeGroups.tasks.instanceTypes": "EC2 types of one architecture, known to data/aws/instance-types.csv or added under extraInstanceTypes.",
  "nodeGroups.tasks.maxSize": "Most task nodes the Cluster Autoscaler may start; with the pods per node it bounds parallelism.",
  database: "The RDS PostgreSQL metadata database.",
  "database.instanceClass": "An RDS for PostgreSQL class in data/aws/rds-instance-classes.csv or added under extraDbInstanceClasses.",
  "database.maxConnections": "PostgreSQL max_connections; at most what RDS's formula gives the class's memory.",
  "database.backupRetentionDays": "Days of automated backups.",
  "database.multiAz": "A standby in another zone.",
  airflow: "What the platform stack deploys on the cluster: the Airflow chart's values and the task namespace.",
  "airflow.chartValueOverrides": "Chart values merged over the ones the project builds, checked against the chart's schema; protected values (environments/protected-values.ts) only with a waiver.",
  "airflow.chartValueWaivers": "Overrides of protected chart values accepted anyway, each with its reason.",
  "airflow.gitSync.repository": "The Git repository with the DAGs (SSH or HTTPS).",
  "airflow.gitSync.knownHosts": "known_hosts lines for the repository's host (SSH).",
  observability: "Datadog: the agent, the monitors and who they tell.",
  "observability.slack.account": "The Slack workspace as named in Datadog's Slack integration.",
  policyWaivers: "Exceptions to the policy suite, each with its reason; shown as waived in `airflow-platform policy`.",
  extraInstanceTypes: "EC2 instance types data/aws lacks, with their facts and a reason; never a type the data has.",
  extraDbInstanceClasses: "RDS classes data/aws lacks, with their facts and a reason; never a class the data has.",
  stateBackend: "Where Terraform keeps each stack's state: local files, or S3 with a KMS key and S3 locking.",
  "stateBackend.bucket": "The S3 bucket for state.",
  tags: "Tags on every AWS resource.",
};

const examplesRefused = "refused while it holds an example value, unless the environment is an example";

/** What staging and prod (or prod alone) demand of a field, beyond its shape. */
export const STAGE_REQUIREMENTS: Readonly<Record<string, string>> = {
  availabilityZones: "2–3 zones; prod: 3",
  "network.natGateways": 'required without existingVpc; prod: "perZone"',
  "network.vpcCidr": "required without existingVpc",
  "database.backupRetentionDays": Object.entries(MIN_BACKUP_RETENTION_DAYS).map(([stage, days]) => `${stage} ≥ ${days}`).join(", "),
  "database.multiAz": "prod: true",
  "nodeGroups.system.minSize": "≥ 1 (every stage)",
  "nodeGroups.system.capacityType": '"ON_DEMAND" (every stage)',
  "observability.pageHandle": "dev: none",
  "account.id": `staging, prod: ${examplesRefused}`,
  "stateBackend.bucket": `staging, prod: ${examplesRefused}`,
  "observability.slack.account": `staging, prod: ${examplesRefused}`,
  "airflow.gitSync.repository": `staging, prod: ${examplesRefused}`,
  "airflow.gitSync.knownHosts": "staging, prod: must name the repository's host",
};

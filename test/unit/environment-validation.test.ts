import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { ConfigError } from "../../lib/config-error";
import { synthesizeEnvironments } from "../../tools/synth/synthesize";
import { tempDir } from "../support/temp";
import { loadEnvironments, SHIPPED_ENVIRONMENTS, validateEnvironment } from "../../environments";
import type { EnvironmentOverrides } from "../../configuration/schema/merge";
import { shippedWith } from "../support/environments";
import { documentationText } from "../support/docs";

function problemsOf(input: unknown) {
  const result = validateEnvironment(input);
  assert.equal(result.ok, false, "expected the environment to be rejected");
  return result.ok ? [] : result.problems;
}

describe("shipped environments", () => {
  it("all validate with no credentials and no edits", () => {
    const names = loadEnvironments(undefined).map((e) => e.name);
    assert.deepEqual(names, Object.keys(SHIPPED_ENVIRONMENTS));
    assert.ok(names.length > 0);
  });

  it("are selected by AIRFLOW_ENVIRONMENTS, and an unknown name is an error", () => {
    const [first, last] = [Object.keys(SHIPPED_ENVIRONMENTS)[0], Object.keys(SHIPPED_ENVIRONMENTS).at(-1)];
    assert.deepEqual(loadEnvironments(`${first}, ${last}`).map((e) => e.name), [first, last]);
    const listed = `one of ${Object.keys(SHIPPED_ENVIRONMENTS).join(", ")}`;
    assert.throws(() => loadEnvironments(`${first},no-such-environment`), (e: unknown) => e instanceof ConfigError && e.message.includes("[no-such-environment]") && e.message.includes(listed));
  });

  it("derive stage-dependent protection and per-zone subnets", () => {
    const [dev, prod] = loadEnvironments("dev,prod");
    assert.equal(dev.protectData, false);
    assert.equal(prod.protectData, true);
    assert.deepEqual(prod.subnets.privateCidrs, ["10.30.0.0/18", "10.30.64.0/18", "10.30.128.0/18"]);
    assert.deepEqual(prod.subnets.publicCidrs, ["10.30.192.0/22", "10.30.196.0/22", "10.30.200.0/22"]);
  });
});

interface BadCase {
  readonly title: string;
  readonly base: "dev" | "staging" | "prod";
  readonly overrides: EnvironmentOverrides;
  readonly constructPath: string;
  readonly field: string;
  readonly allowed: RegExp;
}

const DEV_CERTIFICATE = "arn:aws:acm:eu-west-1:111111111111:certificate/00000000-0000-0000-0000-000000000000";
const DEV_UI = { hostname: "airflow.dev.example.com", certificateArn: DEV_CERTIFICATE };
const DEV_SSO = {
  provider: "oidc" as const,
  issuerUrl: "https://example.okta.com/oauth2/default",
  clientId: "0oa1dev",
  clientSecret: { kubernetesSecretName: "airflow-sso" },
  roleMapping: { "airflow-admins": ["Admin" as const] },
};

const badCases: BadCase[] = [
  { title: "min nodes above max", base: "prod", overrides: { nodeGroups: { tasks: { minSize: 61, maxSize: 60 } } }, constructPath: "prod/prod-infrastructure/node-groups/tasks", field: "nodeGroups.tasks.minSize", allowed: /at most maxSize \(60\)/ },
  { title: "desired nodes outside min..max", base: "dev", overrides: { nodeGroups: { system: { desiredSize: 5 } } }, constructPath: "dev/dev-infrastructure/node-groups/system", field: "nodeGroups.system.desiredSize", allowed: /between minSize \(1\) and maxSize \(2\)/ },
  { title: "a system group that scales to zero", base: "dev", overrides: { nodeGroups: { system: { minSize: 0, desiredSize: 0 } } }, constructPath: "dev/dev-infrastructure/node-groups/system", field: "nodeGroups.system.minSize", allowed: /never scales to zero/ },
  { title: "a spot system group", base: "staging", overrides: { nodeGroups: { system: { capacityType: "SPOT" } } }, constructPath: "staging/staging-infrastructure/node-groups/system", field: "nodeGroups.system.capacityType", allowed: /ON_DEMAND/ },
  { title: "a tasks group with max 0", base: "dev", overrides: { nodeGroups: { tasks: { maxSize: 0 } } }, constructPath: "dev/dev-infrastructure/node-groups/tasks", field: "nodeGroups.tasks.maxSize", allowed: /greater than 0/ },
  { title: "a node group mixing ARM and x86", base: "dev", overrides: { nodeGroups: { tasks: { instanceTypes: ["m6i.xlarge", "m7g.xlarge"] } } }, constructPath: "dev/dev-infrastructure/node-groups/tasks", field: "nodeGroups.tasks.instanceTypes", allowed: /one architecture/ },
  { title: "fewer than 2 zones", base: "dev", overrides: { availabilityZones: ["eu-west-1a"] }, constructPath: "dev/dev-infrastructure/network", field: "availabilityZones", allowed: /at least 2/ },
  { title: "2 zones in prod", base: "prod", overrides: { availabilityZones: ["eu-west-1a", "eu-west-1b"] }, constructPath: "prod/prod-infrastructure/network", field: "availabilityZones", allowed: /3 to 3 zones for a prod/ },
  { title: "a zone outside the region", base: "dev", overrides: { availabilityZones: ["eu-west-1a", "us-east-1b"] }, constructPath: "dev/dev-infrastructure/network", field: "availabilityZones.1", allowed: /a zone of eu-west-1/ },
  { title: "an unknown region", base: "dev", overrides: { account: { region: "eu-west-9" as "eu-west-1" } }, constructPath: "dev/dev-infrastructure", field: "account.region", allowed: /Expected 'us-east-1'/ },
  { title: "a malformed VPC CIDR", base: "dev", overrides: { network: { vpcCidr: "10.10.0.1/16" } }, constructPath: "dev/dev-infrastructure/network", field: "network.vpcCidr", allowed: /no host bits/ },
  { title: "a VPC too small for pods", base: "dev", overrides: { network: { vpcCidr: "10.10.0.0/24" } }, constructPath: "dev/dev-infrastructure/network", field: "network.vpcCidr", allowed: /\/16 to \/20/ },
  { title: "overlapping subnets", base: "dev", overrides: { network: { privateSubnetCidrs: ["10.10.0.0/18", "10.10.32.0/19"] } }, constructPath: "dev/dev-infrastructure/network", field: "network.privateSubnetCidrs.1", allowed: /does not overlap 10\.10\.0\.0\/18/ },
  { title: "a subnet outside the VPC", base: "dev", overrides: { network: { publicSubnetCidrs: ["10.10.192.0/22", "10.99.0.0/22"] } }, constructPath: "dev/dev-infrastructure/network", field: "network.publicSubnetCidrs.1", allowed: /inside the VPC 10\.10\.0\.0\/16/ },
  { title: "a service range overlapping the VPC", base: "dev", overrides: { cluster: { serviceIpv4Cidr: "10.10.128.0/20" } }, constructPath: "dev/dev-infrastructure/cluster", field: "cluster.serviceIpv4Cidr", allowed: /does not overlap the VPC/ },
  { title: "a public endpoint open to the world", base: "dev", overrides: { cluster: { publicEndpointCidrs: ["0.0.0.0/0"] } }, constructPath: "dev/dev-infrastructure/cluster", field: "cluster.publicEndpointCidrs.0", allowed: /never 0\.0\.0\.0\/0/ },
  { title: "an EKS version without pinned add-ons", base: "dev", overrides: { cluster: { version: "1.33" as "1.35" } }, constructPath: "dev/dev-infrastructure/cluster", field: "cluster.version", allowed: /pinned add-ons: 1\.35, 1\.36/ },
  { title: "a non-db. instance class", base: "dev", overrides: { database: { instanceClass: "m6g.large" as "db.m6g.large" } }, constructPath: "dev/dev-infrastructure/metadata-database", field: "database.instanceClass", allowed: /db\.m7g\.large/ },
  { title: "backup retention 0 in prod", base: "prod", overrides: { database: { backupRetentionDays: 0 } }, constructPath: "prod/prod-infrastructure/metadata-database", field: "database.backupRetentionDays", allowed: /at least 14 days in prod/ },
  { title: "backup retention 0 in dev", base: "dev", overrides: { database: { backupRetentionDays: 0 } }, constructPath: "dev/dev-infrastructure/metadata-database", field: "database.backupRetentionDays", allowed: /at least 1 days in dev/ },
  { title: "a single-zone database in prod", base: "prod", overrides: { database: { multiAz: false } }, constructPath: "prod/prod-infrastructure/metadata-database", field: "database.multiAz", allowed: /true in prod/ },
  { title: "PostgreSQL 15", base: "dev", overrides: { database: { engineVersion: "15.8" } }, constructPath: "dev/dev-infrastructure/metadata-database", field: "database.engineVersion", allowed: /16\.x or 17\.x/ },
  { title: "storage ceiling below storage", base: "dev", overrides: { database: { maxAllocatedStorageGiB: 10 } }, constructPath: "dev/dev-infrastructure/metadata-database", field: "database.maxAllocatedStorageGiB", allowed: /greater than or equal to 20/ },
  { title: "a rotation window longer than Secrets Manager allows", base: "staging", overrides: { database: { passwordRotation: { dayOfWeek: "tue", startHourUtc: 14, hours: 30 } } }, constructPath: "staging/staging-infrastructure/metadata-database", field: "database.passwordRotation.hours", allowed: /less than or equal to 24/ },
  { title: "a rotation day spelt out", base: "dev", overrides: { database: { passwordRotation: { dayOfWeek: "tuesday" as "tue", startHourUtc: 14, hours: 2 } } }, constructPath: "dev/dev-infrastructure/metadata-database", field: "database.passwordRotation.dayOfWeek", allowed: /Expected 'sun' \| 'mon'/ },
  { title: "one NAT gateway in prod", base: "prod", overrides: { network: { natGateways: "single" } }, constructPath: "prod/prod-infrastructure/network", field: "network.natGateways", allowed: /perZone/ },
  { title: "a malformed account id", base: "dev", overrides: { account: { id: "12345" } }, constructPath: "dev/dev-infrastructure", field: "account.id", allowed: /12-digit/ },
  { title: "a typo in a field name", base: "dev", overrides: { database: { maxConnection: 10 } as EnvironmentOverrides["database"] }, constructPath: "dev/dev-infrastructure/metadata-database", field: "database.maxConnection", allowed: /only the fields the schema defines at database/ },
  { title: "an unsupported log retention", base: "dev", overrides: { cluster: { controlPlaneLogRetentionDays: 42 } }, constructPath: "dev/dev-infrastructure/cluster", field: "cluster.controlPlaneLogRetentionDays", allowed: /retention periods/ },
  { title: "a gitSync repository that is not an SSH or HTTPS Git URL", base: "dev", overrides: { airflow: { gitSync: { repository: "ftp://example.com/dags.git" } } }, constructPath: "dev/dev-platform/airflow", field: "airflow.gitSync.repository", allowed: /SSH .* or HTTPS Git URL/ },
  { title: "an SSH repository without known hosts", base: "dev", overrides: { airflow: { gitSync: { knownHosts: "" } } }, constructPath: "dev/dev-platform/airflow", field: "airflow.gitSync.knownHosts", allowed: /host checking stays on/ },
  { title: "a task pod limit below its request", base: "prod", overrides: { airflow: { taskPod: { memoryLimitMiB: 1024 } } }, constructPath: "prod/prod-platform/airflow", field: "airflow.taskPod.memoryLimitMiB", allowed: /at least the request \(2048\)/ },
  { title: "task pods in Airflow's own namespace", base: "dev", overrides: { airflow: { taskNamespace: "airflow" } }, constructPath: "dev/dev-platform/task-namespace", field: "airflow.taskNamespace", allowed: /other than Airflow's own/ },
  { title: "a malformed Slack channel", base: "prod", overrides: { observability: { slack: { channels: { critical: "#Airflow Alerts", warning: "airflow-warnings" } } } }, constructPath: "prod/prod-observability/slack-channels", field: "observability.slack.channels.critical", allowed: /Slack channel name without '#'/ },
  { title: "paging in dev", base: "dev", overrides: { observability: { pageHandle: "@here" } }, constructPath: "dev/dev-observability/monitors", field: "observability.pageHandle", allowed: /no paging in dev/ },
  { title: "an unknown Datadog site", base: "dev", overrides: { observability: { datadogSite: "datadoghq.org" as "datadoghq.eu" } }, constructPath: "dev/dev-platform/datadog-agent", field: "observability.datadogSite", allowed: /Expected 'datadoghq.com'/ },
  { title: "a policy waiver without a reason", base: "prod", overrides: { policyWaivers: [{ rule: "rds-multi-az", reason: "" }] }, constructPath: "prod/prod-infrastructure", field: "policyWaivers.0.reason", allowed: /reason of at least 20 characters/ },
  { title: "a waiver for a rule that does not exist", base: "prod", overrides: { policyWaivers: [{ rule: "rds-multi-zone", reason: "a long enough reason for the test" }] }, constructPath: "prod/prod-infrastructure", field: "policyWaivers.0.rule", allowed: /one of the policy rules \(.*rds-multi-az.*\) or a checkov check id/ },
  { title: "a custom monitor on a metric nothing sends", base: "dev", overrides: { observability: { customMonitors: [{ key: "rows", name: "Rows", severity: "warning", query: "avg(last_5m):avg:airflow.rows_loaded{env:dev} < 1", critical: 1, summary: "s", impact: "i", firstCheck: "f" }] } }, constructPath: "dev/dev-observability/monitors/custom-rows", field: "observability monitor custom-rows", allowed: /airflow\.rows_loaded is not sent on this platform: nothing this platform runs sends it.*declare it in observability\.declaredMetrics/ },
  { title: "a custom monitor on previously_succeeded, which Airflow 3's task runner never sends", base: "prod", overrides: { observability: { customMonitors: [{ key: "finish", name: "Finish", severity: "warning", query: "sum(last_15m):sum:airflow.previously_succeeded{env:prod} by {dag_id,task_id}.as_count() > 0", critical: 0, summary: "s", impact: "i", firstCheck: "f" }] } }, constructPath: "prod/prod-observability/monitors/custom-finish", field: "observability monitor custom-finish", allowed: /monitor "\[prod\] Finish": metric airflow\.previously_succeeded is not sent on this platform: sent only by TaskInstance\._check_and_change_state_before_execution/ },
  { title: "a custom monitor on the agent's Airflow check, which is not configured", base: "staging", overrides: { observability: { customMonitors: [{ key: "ongoing", name: "Ongoing", severity: "warning", query: "max(last_15m):max:airflow.dag.task.ongoing_duration{env:staging} by {dag_id,task_id} > 3600", critical: 3600, summary: "s", impact: "i", firstCheck: "f" }] } }, constructPath: "staging/staging-observability/monitors/custom-ongoing", field: "observability monitor custom-ongoing", allowed: /airflow\.dag\.task\.ongoing_duration is not sent on this platform: computed by the Datadog agent's Airflow check .*\/api\/v1.*does not configure that check/ },
  { title: "a custom monitor grouping ti_failures by task_id with Airflow's tags off", base: "dev", overrides: { observability: { statsdClient: "statsd", customMonitors: [{ key: "fail", name: "Fail", severity: "warning", query: "sum(last_15m):sum:airflow.ti_failures{env:dev} by {task_id}.as_count() > 0", critical: 0, summary: "s", impact: "i", firstCheck: "f" }] } }, constructPath: "dev/dev-observability/monitors/custom-fail", field: "observability monitor custom-fail", allowed: /groups by task_id, but airflow\.ti_failures arrives without the tag task_id: sent by Airflow Stats ti_failures .*over plain StatsD/ },
  { title: "Airflow's DogStatsD client on the stock image, which lacks the datadog package", base: "dev", overrides: { airflow: { chartValueOverrides: { images: { airflow: { repository: "apache/airflow" } } } } }, constructPath: "dev/dev-observability/monitors", field: "observability.statsdClient", allowed: /datadog Python package.*sends no metrics at all/ },
  { title: "a critical DAG's deadline in an unknown time zone", base: "prod", overrides: { observability: { criticalDags: [{ dagId: "high_priorities", deadlineHours: 8, finishBy: "09:00", timezone: "Europe/Atlantis" }] } }, constructPath: "prod/prod-observability/monitors", field: "observability.criticalDags.0.timezone", allowed: /tz database time zone/ },
  { title: "a critical DAG's deadline that is not a time of day", base: "prod", overrides: { observability: { criticalDags: [{ dagId: "high_priorities", deadlineHours: 8, finishBy: "9am", timezone: "UTC" }] } }, constructPath: "prod/prod-observability/monitors", field: "observability.criticalDags.0.finishBy", allowed: /HH:MM/ },
  { title: "a declared metric without a reason", base: "dev", overrides: { observability: { declaredMetrics: [{ metric: "finance.rows_loaded", reason: "ours" }] } }, constructPath: "dev/dev-observability/monitors", field: "observability.declaredMetrics.0.reason", allowed: /reason of at least 20 characters/ },
  { title: "a declared metric something already sends", base: "dev", overrides: { observability: { declaredMetrics: [{ metric: "aws.rds.read_latency", reason: "we watch read latency on the metadata database" }] } }, constructPath: "dev/dev-observability/monitors", field: "observability.declaredMetrics.0.metric", allowed: /already sent by Datadog's AWS integration/ },
  { title: "a custom monitor whose warning is past its critical", base: "dev", overrides: { observability: { customMonitors: [{ key: "cpu", name: "CPU", severity: "warning", query: "avg(last_5m):avg:kubernetes.cpu.usage.total{env:dev} > 90", critical: 90, warning: 95, summary: "s", impact: "i", firstCheck: "f" }] } }, constructPath: "dev/dev-observability/monitors/custom-cpu", field: "observability monitor custom-cpu", allowed: /warning 95 must be below critical 90/ },
  { title: "a chart-values typo", base: "prod", overrides: { airflow: { chartValueOverrides: { scheduler: { replica: 3 } } } }, constructPath: "prod/prod-platform/airflow", field: "airflow chart values: scheduler.replica", allowed: /not a property the chart's schema defines at scheduler/ },
  { title: "a negative password generation", base: "prod", overrides: { database: { airflowPasswordGeneration: -1 } }, constructPath: "prod/prod-platform/database-logins", field: "database.airflowPasswordGeneration", allowed: /greater than or equal to 0/ },
  { title: "a password generation that is not a whole number", base: "dev", overrides: { database: { airflowPasswordGeneration: 1.5 } }, constructPath: "dev/dev-platform/database-logins", field: "database.airflowPasswordGeneration", allowed: /integer/ },
  { title: "PgBouncer taking fewer clients than it has server connections", base: "prod", overrides: { airflow: { pgbouncer: { maxClientConnections: 5 } } }, constructPath: "prod/prod-platform/metadata-connection", field: "airflow.pgbouncer.maxClientConnections", allowed: /10/ },
  { title: "PgBouncer pools above the database's connections", base: "dev", overrides: { airflow: { pgbouncer: { metadataPoolSize: 400 } } }, constructPath: "dev/dev-platform/metadata-connection", field: "airflow.pgbouncer.metadataPoolSize", allowed: /must fit in database\.maxConnections \(300\)/ },
  { title: "parallelism the tasks group cannot hold", base: "staging", overrides: { nodeGroups: { tasks: { maxSize: 10 } }, airflow: { parallelism: 200 } }, constructPath: "staging/staging-platform/airflow", field: "airflow.parallelism", allowed: /10 nodes × 7 pods/ },
  { title: "logs deleted before the EFS lifecycle moves them", base: "prod", overrides: { logStorage: { retentionDays: 30 } }, constructPath: "prod/prod-platform/airflow", field: "logStorage.retentionDays", allowed: /more than logStorage\.transitionToInfrequentAccessDays \(30\)/ },
  { title: "a log retention of zero days", base: "dev", overrides: { logStorage: { retentionDays: 0 } }, constructPath: "dev/dev-platform/airflow", field: "logStorage.retentionDays", allowed: /greater than or equal to 1/ },
  { title: "DAG pausing given as a string", base: "dev", overrides: { airflow: { dagsPausedAtCreation: "no" as unknown as boolean } }, constructPath: "dev/dev-platform/airflow", field: "airflow.dagsPausedAtCreation", allowed: /Expected boolean/ },
  { title: "a second log groomer through chart overrides", base: "prod", overrides: { airflow: { chartValueOverrides: { scheduler: { logGroomerSidecar: { enabled: true } } } } }, constructPath: "prod/prod-platform/airflow", field: "airflow chart values: *.logGroomerSidecar", allowed: /one log groomer at most/ },
  { title: "max_connections above the instance class's memory", base: "prod", overrides: { database: { maxConnections: 4000 } }, constructPath: "prod/prod-infrastructure/metadata-database", field: "database.maxConnections", allowed: /at most 1802/ },
  { title: "the same zone twice", base: "dev", overrides: { availabilityZones: ["eu-west-1a", "eu-west-1a"] }, constructPath: "dev/dev-infrastructure/network", field: "availabilityZones", allowed: /each zone once/ },
  { title: "a tag key AWS reserves", base: "dev", overrides: { tags: { "aws:owner": "me" } }, constructPath: "dev/dev-infrastructure", field: "tags.aws:owner", allowed: /not starting with aws:/ },
  { title: "an S3 state bucket with an invalid name", base: "prod", overrides: { stateBackend: { kind: "s3", bucket: "My_Bucket", region: "eu-west-1", kmsKeyId: "alias/k" } }, constructPath: "prod/prod-infrastructure", field: "stateBackend.bucket", allowed: /S3 bucket name/ },
  { title: "existing VPC with subnets for the wrong number of zones", base: "dev", overrides: { network: { existingVpc: { vpcId: "vpc-0123456789abcdef0", privateSubnetIds: ["subnet-01234567", "subnet-89abcdef", "subnet-0badc0de"], publicSubnetIds: [] } } }, constructPath: "dev/dev-infrastructure/network", field: "network.existingVpc.privateSubnetIds", allowed: /one private subnet per zone \(2: eu-west-1a, eu-west-1b\)/ },
  { title: "a zone the region does not have", base: "dev", overrides: { account: { region: "us-east-1" }, availabilityZones: ["us-east-1a", "us-east-1z"] }, constructPath: "dev/dev-infrastructure/network", field: "availabilityZones.1", allowed: /a zone of us-east-1: us-east-1a/ },
  { title: "an instance type with no data and no extra", base: "dev", overrides: { nodeGroups: { tasks: { instanceTypes: ["m7i.xlarg"] } } }, constructPath: "dev/dev-infrastructure/node-groups/tasks", field: "nodeGroups.tasks.instanceTypes.0", allowed: /did you mean "m7i\.xlarge"\?.*extraInstanceTypes/ },
  { title: "an override of the executor", base: "prod", overrides: { airflow: { chartValueOverrides: { executor: "CeleryExecutor" } } }, constructPath: "prod/prod-platform/airflow", field: "airflow.chartValueOverrides.executor", allowed: /"KubernetesExecutor": .*chartValueWaivers/ },
  { title: "an example account in a renamed staging environment", base: "staging", overrides: { name: "analytics" }, constructPath: "analytics/analytics-infrastructure", field: "account.id", allowed: /your own 12-digit AWS account id: it still carries an example value/ },
  { title: "NAT gateways with an existing VPC", base: "prod", overrides: { network: { vpcCidr: undefined, existingVpc: { vpcId: "vpc-0123456789abcdef0", privateSubnetIds: ["subnet-01234567", "subnet-89abcdef", "subnet-0badc0de"], publicSubnetIds: [] } } }, constructPath: "prod/prod-infrastructure/network", field: "network.natGateways", allowed: /no NAT gateway is created/ },
  { title: "a CI repository that is not owner/name", base: "dev", overrides: { ci: { repository: "https://github.com/example-org/airflow-platform" } }, constructPath: "dev/dev-infrastructure/ci-runner", field: "ci.repository", allowed: /owner\/name/ },
  { title: "a CodeConnections connection in another region", base: "prod", overrides: { ci: { connectionArn: "arn:aws:codeconnections:us-east-1:333333333333:connection/00000000-0000-0000-0000-000000000000" } }, constructPath: "prod/prod-infrastructure/ci-runner", field: "ci.connectionArn", allowed: /own account and region \(333333333333, eu-west-1\)/ },
  { title: "a GitHub token where the connection ARN goes", base: "dev", overrides: { ci: { connectionArn: "ghp_notARealTokenButShapedLikeOne000000000000" } }, constructPath: "dev/dev-infrastructure/ci-runner", field: "ci.connectionArn", allowed: /CodeConnections connection ARN/ },
  { title: "the plan role also a cluster admin", base: "staging", overrides: { cluster: { adminRoleArns: ["arn:aws:iam::222222222222:role/airflow-platform-plan"] } }, constructPath: "staging/staging-infrastructure/ci-runner", field: "ci.planRoleArn", allowed: /not also in cluster\.adminRoleArns/ },
  { title: "an unknown CodeBuild compute type", base: "dev", overrides: { ci: { runner: { computeType: "BUILD_GENERAL1_HUGE" as "BUILD_GENERAL1_LARGE" } } }, constructPath: "dev/dev-infrastructure/ci-runner", field: "ci.runner.computeType", allowed: /BUILD_GENERAL1_MEDIUM/ },
  { title: "a UI hostname that is not a DNS name", base: "dev", overrides: { airflow: { ui: { hostname: "https://airflow.dev.example.com/", certificateArn: DEV_CERTIFICATE } } }, constructPath: "dev/dev-platform/airflow", field: "airflow.ui.hostname", allowed: /a DNS name such as airflow\.dev\.example\.com/ },
  { title: "an internet-facing UI without an allowlist", base: "prod", overrides: { airflow: { ui: { hostname: "airflow.example.com", certificateArn: "arn:aws:acm:eu-west-1:333333333333:certificate/00000000-0000-0000-0000-000000000000", scheme: "internet-facing" } } }, constructPath: "prod/prod-platform/airflow", field: "airflow.ui.allowedCidrs", allowed: /never open to everyone/ },
  { title: "a UI open to 0.0.0.0/0", base: "dev", overrides: { airflow: { ui: { hostname: "airflow.dev.example.com", certificateArn: DEV_CERTIFICATE, scheme: "internet-facing", allowedCidrs: ["0.0.0.0/0"] } } }, constructPath: "dev/dev-platform/airflow", field: "airflow.ui.allowedCidrs.0", allowed: /never 0\.0\.0\.0\/0/ },
  { title: "a UI certificate from another region", base: "dev", overrides: { airflow: { ui: { hostname: "airflow.dev.example.com", certificateArn: "arn:aws:acm:us-east-1:111111111111:certificate/00000000-0000-0000-0000-000000000000" } } }, constructPath: "dev/dev-platform/airflow", field: "airflow.ui.certificateArn", allowed: /account and region \(111111111111, eu-west-1\)/ },
  { title: "an identity-provider group mapped to a role that does not exist", base: "dev", overrides: { airflow: { ui: DEV_UI, auth: { sso: { ...DEV_SSO, roleMapping: { "airflow-admins": ["Admin"], "data-engineers": ["Superuser" as "Admin"] } } } } }, constructPath: "dev/dev-platform/airflow", field: "airflow.auth.sso.roleMapping.data-engineers.0", allowed: /Expected 'Admin' \| 'Op' \| 'User' \| 'Viewer', received 'Superuser'/ },
  { title: "single sign-on where no group becomes Admin", base: "dev", overrides: { airflow: { ui: DEV_UI, auth: { sso: { ...DEV_SSO, roleMapping: { analysts: ["Viewer"] } } } } }, constructPath: "dev/dev-platform/airflow", field: "airflow.auth.sso.roleMapping", allowed: /at least one group mapped to Admin/ },
  { title: "an SSO client secret given two ways", base: "dev", overrides: { airflow: { ui: DEV_UI, auth: { sso: { ...DEV_SSO, clientSecret: { kubernetesSecretName: "airflow-sso", secretsManagerArn: "arn:aws:secretsmanager:eu-west-1:111111111111:secret:sso-AbCdEf" } } } } }, constructPath: "dev/dev-platform/airflow", field: "airflow.auth.sso.clientSecret", allowed: /exactly one of kubernetesSecretName/ },
  { title: "single sign-on without a UI hostname", base: "dev", overrides: { airflow: { auth: { sso: DEV_SSO } } }, constructPath: "dev/dev-platform/airflow", field: "airflow.auth.sso", allowed: /redirects to https:\/\/<hostname>/ },
  { title: "a UI on an existing VPC with no range to allow", base: "dev", overrides: { network: { vpcCidr: undefined, natGateways: undefined, existingVpc: { vpcId: "vpc-0123456789abcdef0", privateSubnetIds: ["subnet-01234567", "subnet-89abcdef"], publicSubnetIds: [] } }, airflow: { ui: DEV_UI } }, constructPath: "dev/dev-platform/airflow", field: "airflow.ui.allowedCidrs", allowed: /no VPC range to default to/ },
  { title: "a deploy key in Secrets Manager in another region", base: "dev", overrides: { airflow: { gitSync: { sshKeyFromSecretsManager: { secretArn: "arn:aws:secretsmanager:us-east-1:111111111111:secret:dags-key-AbCdEf" } } } }, constructPath: "dev/dev-platform/airflow", field: "airflow.gitSync.sshKeyFromSecretsManager.secretArn", allowed: /environment's region \(eu-west-1\)/ },
  { title: "a deploy key for an HTTPS repository", base: "dev", overrides: { airflow: { gitSync: { repository: "https://github.com/example-org/airflow-dags.git", sshKeySecretName: undefined, knownHosts: undefined, sshKeyFromSecretsManager: { secretArn: "arn:aws:secretsmanager:eu-west-1:111111111111:secret:dags-key-AbCdEf" } } } }, constructPath: "dev/dev-platform/airflow", field: "airflow.gitSync.sshKeyFromSecretsManager", allowed: /no SSH key for an HTTPS repository/ },
  { title: "an SSO issuer over plain HTTP", base: "dev", overrides: { airflow: { ui: DEV_UI, auth: { sso: { ...DEV_SSO, issuerUrl: "http://example.okta.com/oauth2/default" } } } }, constructPath: "dev/dev-platform/airflow", field: "airflow.auth.sso.issuerUrl", allowed: /https issuer URL/ },
  { title: "a task pool named like the default pool's taint value", base: "prod", overrides: { nodeGroups: { taskPools: { true: { instanceTypes: ["r6i.2xlarge"], maxSize: 2 } } } }, constructPath: "prod/prod-infrastructure/node-groups/true", field: "nodeGroups.taskPools.true", allowed: /a pool name other than system, tasks, node-role, true/ },
  { title: "a task pool name in capitals", base: "dev", overrides: { nodeGroups: { taskPools: { HighMem: { instanceTypes: ["r6i.2xlarge"], maxSize: 2 } } } }, constructPath: "dev/dev-infrastructure/node-groups/HighMem", field: "nodeGroups.taskPools.HighMem", allowed: /a pool name of 2-12 lowercase letters/ },
  { title: "a task pool on an instance type with no capacity data", base: "staging", overrides: { nodeGroups: { taskPools: { memory: { instanceTypes: ["x9z.xlarge"] } } } }, constructPath: "staging/staging-infrastructure/node-groups/memory", field: "nodeGroups.taskPools.memory.instanceTypes.0", allowed: /instance-types\.csv, or one added under extraInstanceTypes/ },
  { title: "a task pool whose minimum is above its maximum", base: "prod", overrides: { nodeGroups: { taskPools: { memory: { minSize: 5, maxSize: 4 } } } }, constructPath: "prod/prod-infrastructure/node-groups/memory", field: "nodeGroups.taskPools.memory.minSize", allowed: /at most maxSize \(4\)/ },
  { title: "a task pool without a maximum", base: "dev", overrides: { nodeGroups: { taskPools: { spot: { instanceTypes: ["m6i.xlarge"], capacityType: "SPOT" } } } }, constructPath: "dev/dev-infrastructure/node-groups/spot", field: "nodeGroups.taskPools.spot.maxSize", allowed: /required: a number/ },
  { title: "a named task size no pool can hold", base: "prod", overrides: { airflow: { taskSizes: { huge: { cpuMillicores: 4000, memoryMiB: 200000, cpuLimitMillicores: 4000, memoryLimitMiB: 200000 } } } }, constructPath: "prod/prod-platform/airflow", field: "airflow.taskSizes.huge", allowed: /the largest pool, "memory", takes at most 7610m CPU and 62\.4 GiB per task \(r6i\.2xlarge/ },
  { title: "a default task pod bigger than the default pool's nodes", base: "dev", overrides: { airflow: { taskPod: { memoryMiB: 20000, memoryLimitMiB: 20000 } } }, constructPath: "dev/dev-platform/airflow", field: "airflow.taskPod", allowed: /fit the default pool "tasks", where every task that chooses no pool runs: at most 3620m CPU and 14\.4 GiB/ },
  { title: "a named task size whose limit is below its request", base: "dev", overrides: { airflow: { taskSizes: { bigmem: { memoryLimitMiB: 4096 } } } }, constructPath: "dev/dev-platform/airflow", field: "airflow.taskSizes.bigmem.memoryLimitMiB", allowed: /at least the request \(49152\)/ },
  { title: "a task quota too small for the biggest task size", base: "staging", overrides: { airflow: { taskQuota: { cpuMillicores: 64000, memoryMiB: 32768, pods: 100 } } }, constructPath: "staging/staging-platform/task-namespace", field: "airflow.taskQuota", allowed: /room for one task of size "bigmem" at its limits \(4000m, 49152Mi\)/ },
  { title: "a team's Airflow image without a tag", base: "dev", overrides: { airflow: { image: { source: "prebuilt", repository: "registry.internal/data/airflow" } as { source: "prebuilt"; repository: string; tag: string } } }, constructPath: "dev/dev-platform/airflow", field: "airflow.image.tag", allowed: /required: a string/ },
  { title: "a team's Airflow image tagged latest", base: "staging", overrides: { airflow: { image: { source: "prebuilt", repository: "registry.internal/data/airflow", tag: "latest" } } }, constructPath: "staging/staging-platform/airflow", field: "airflow.image.tag", allowed: /names one build, not latest/ },
  { title: "a placeholder Airflow image repository in a prod environment", base: "prod", overrides: { name: "live", airflow: { image: { source: "prebuilt", repository: "registry.example.com/data/airflow", tag: "3.1.8-1" } } }, constructPath: "live/live-platform/airflow", field: "airflow.image.repository", allowed: /the repository of your own Airflow image.*: it still carries an example value, refused in prod/ },
  { title: "Airflow's DogStatsD client on the stock image given as a team's own", base: "dev", overrides: { airflow: { image: { source: "prebuilt", repository: "docker.io/apache/airflow", tag: "3.1.8" } } }, constructPath: "dev/dev-observability/monitors", field: "observability.statsdClient", allowed: /airflow\.image \{ source: "platform" \}.*sends no metrics at all/ },
  { title: "a task image repository named like Airflow's own", base: "dev", overrides: { taskImages: { repositories: ["airflow-tasks", "airflow"] } }, constructPath: "dev/dev-infrastructure/task-images", field: "taskImages.repositories.1", allowed: /airflow-dev\/airflow is the repository of the platform's own Airflow image/ },
  { title: "Airflow's image changed through chart overrides", base: "prod", overrides: { airflow: { chartValueOverrides: { images: { airflow: { repository: "ghcr.io/acme/airflow", tag: "3.1.8" } } } } }, constructPath: "prod/prod-platform/airflow", field: "airflow.chartValueOverrides.images.airflow", allowed: /set it there\. To change it anyway, add \{ path: "images\.airflow"/ },
];

describe("bad environments are rejected before synthesis", () => {
  it("form a corpus of at least 30 cases, as many as README says", () => {
    assert.ok(badCases.length >= 30, `${badCases.length} cases`);
    const readme = documentationText();
    assert.deepEqual([...readme.matchAll(/(\d+)(?:-case corpus| invalid environments)|corpus of (\d+)/g)].map((m) => Number(m[1] ?? m[2])), [badCases.length, badCases.length]);
  });

  for (const c of badCases) {
    it(`${c.title}: names ${c.field} at ${c.constructPath}, writes nothing`, () => {
      const input = shippedWith(c.base, c.overrides);
      const problems = problemsOf(input);
      const match = problems.find((p) => p.field === c.field);
      assert.ok(match, `a problem on ${c.field}; got ${JSON.stringify(problems)}`);
      assert.equal(match.environment, c.overrides.name ?? c.base);
      assert.equal(match.constructPath, c.constructPath);
      assert.match(match.allowed, c.allowed);
      const outdir = join(tempDir("bad-input"), "cdktf.out");
      assert.throws(() => synthesizeEnvironments([input], outdir), ConfigError);
      assert.equal(existsSync(outdir), false, "no partial cdktf.out");
    });
  }

  it("reports every problem of every environment in one error", () => {
    const error = (() => {
      try {
        loadEnvironments("dev,prod", {
          dev: shippedWith("dev", { nodeGroups: { tasks: { minSize: 9 } }, database: { backupRetentionDays: 0 } }),
          prod: shippedWith("prod", { database: { multiAz: false } }),
        });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    assert.ok(error instanceof ConfigError);
    // minSize 9 breaks two rules in dev (min ≤ max, min ≤ desired), plus retention, plus prod's Multi-AZ.
    assert.deepEqual(error.problems.map((p) => `${p.environment}:${p.field}`), [
      "dev:nodeGroups.tasks.minSize",
      "dev:nodeGroups.tasks.desiredSize",
      "dev:database.backupRetentionDays",
      "prod:database.multiAz",
    ]);
    assert.match(error.message, /\[dev\] dev\/dev-infrastructure\/node-groups\/tasks › nodeGroups\.tasks\.minSize: given 9/);
    assert.match(error.message, /\[prod\] prod\/prod-infrastructure\/metadata-database › database\.multiAz: given false/);
  });
});

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { ConfigError } from "../../constructs/config-error";
import { synthesizeEnvironments } from "../../stacks/synthesize";
import { tempDir } from "../support/temp";
import { loadEnvironments, validateEnvironment } from "../../environments";
import type { EnvironmentOverrides } from "../../environments/merge";
import { shippedWith } from "../support/environments";

function problemsOf(input: unknown) {
  const result = validateEnvironment(input);
  assert.equal(result.ok, false, "expected the environment to be rejected");
  return result.ok ? [] : result.problems;
}

describe("shipped environments", () => {
  it("all validate with no credentials and no edits", () => {
    const names = loadEnvironments(undefined).map((e) => e.name);
    assert.deepEqual(names, ["dev", "staging", "prod"]);
  });

  it("are selected by AIRFLOW_ENVIRONMENTS, and an unknown name is an error", () => {
    assert.deepEqual(loadEnvironments("dev, prod").map((e) => e.name), ["dev", "prod"]);
    assert.throws(() => loadEnvironments("dev,qa"), (e: unknown) => e instanceof ConfigError && /\[qa\].*one of dev, staging, prod/.test(e.message));
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

const badCases: BadCase[] = [
  { title: "min nodes above max", base: "prod", overrides: { nodeGroups: { tasks: { minSize: 61 } } }, constructPath: "prod/prod-infrastructure/node-groups/tasks", field: "nodeGroups.tasks.minSize", allowed: /at most maxSize \(60\)/ },
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
  { title: "a waiver for a rule that does not exist", base: "prod", overrides: { policyWaivers: [{ rule: "rds-multi-zone", reason: "a long enough reason for the test" }] }, constructPath: "prod/prod-infrastructure", field: "policyWaivers.0.rule", allowed: /one of the policy rules: .*rds-multi-az/ },
  { title: "a custom monitor on an unknown Datadog metric", base: "dev", overrides: { observability: { customMonitors: [{ key: "rows", name: "Rows", severity: "warning", query: "avg(last_5m):avg:airflow.rows_loaded{env:dev} < 1", critical: 1, summary: "s", impact: "i", firstCheck: "f" }] } }, constructPath: "dev/dev-observability/monitors/custom-rows", field: "observability monitor custom-rows", allowed: /airflow\.rows_loaded is not in the Datadog metric lists/ },
  { title: "a custom monitor whose warning is past its critical", base: "dev", overrides: { observability: { customMonitors: [{ key: "cpu", name: "CPU", severity: "warning", query: "avg(last_5m):avg:kubernetes.cpu.usage.total{env:dev} > 90", critical: 90, warning: 95, summary: "s", impact: "i", firstCheck: "f" }] } }, constructPath: "dev/dev-observability/monitors/custom-cpu", field: "observability monitor custom-cpu", allowed: /warning 95 must be below critical 90/ },
  { title: "a chart-values typo", base: "prod", overrides: { airflow: { chartValueOverrides: { scheduler: { replica: 3 } } } }, constructPath: "prod/prod-platform/airflow", field: "airflow chart values: scheduler.replica", allowed: /not a property the chart's schema defines at scheduler/ },
  { title: "a negative password generation", base: "prod", overrides: { database: { airflowPasswordGeneration: -1 } }, constructPath: "prod/prod-platform/database-logins", field: "database.airflowPasswordGeneration", allowed: /greater than or equal to 0/ },
  { title: "a password generation that is not a whole number", base: "dev", overrides: { database: { airflowPasswordGeneration: 1.5 } }, constructPath: "dev/dev-platform/database-logins", field: "database.airflowPasswordGeneration", allowed: /integer/ },
  { title: "a result-backend pool, which no longer exists", base: "prod", overrides: { airflow: { pgbouncer: { resultBackendPoolSize: 10 } } as EnvironmentOverrides["airflow"] }, constructPath: "prod/prod-platform/metadata-connection", field: "airflow.pgbouncer.resultBackendPoolSize", allowed: /only the fields the schema defines at airflow\.pgbouncer/ },
  { title: "PgBouncer pools above the database's connections", base: "dev", overrides: { airflow: { pgbouncer: { metadataPoolSize: 400 } } }, constructPath: "dev/dev-platform/metadata-connection", field: "airflow.pgbouncer.metadataPoolSize", allowed: /must fit in database\.maxConnections \(300\)/ },
  { title: "parallelism the tasks group cannot hold", base: "staging", overrides: { airflow: { parallelism: 200 } }, constructPath: "staging/staging-platform/airflow", field: "airflow.parallelism", allowed: /10 nodes × 7 pods/ },
  { title: "max_connections above the instance class's memory", base: "prod", overrides: { database: { maxConnections: 4000 } }, constructPath: "prod/prod-infrastructure/metadata-database", field: "database.maxConnections", allowed: /at most 1802/ },
  { title: "the same zone twice", base: "dev", overrides: { availabilityZones: ["eu-west-1a", "eu-west-1a"] }, constructPath: "dev/dev-infrastructure/network", field: "availabilityZones", allowed: /each zone once/ },
  { title: "a tag key AWS reserves", base: "dev", overrides: { tags: { "aws:owner": "me" } }, constructPath: "dev/dev-infrastructure", field: "tags.aws:owner", allowed: /not starting with aws:/ },
  { title: "an S3 state bucket with an invalid name", base: "prod", overrides: { stateBackend: { kind: "s3", bucket: "My_Bucket", region: "eu-west-1", kmsKeyId: "alias/k" } }, constructPath: "prod/prod-infrastructure", field: "stateBackend.bucket", allowed: /S3 bucket name/ },
  { title: "existing VPC with subnets for the wrong number of zones", base: "dev", overrides: { network: { existingVpc: { vpcId: "vpc-0123456789abcdef0", privateSubnetIds: ["subnet-01234567", "subnet-89abcdef", "subnet-0badc0de"], publicSubnetIds: [] } } }, constructPath: "dev/dev-infrastructure/network", field: "network.existingVpc.privateSubnetIds", allowed: /one private subnet per zone \(2\)/ },
];

describe("bad environments are rejected before synthesis", () => {
  it("form a corpus of at least 30 cases", () => {
    assert.ok(badCases.length >= 30, `${badCases.length} cases`);
  });

  for (const c of badCases) {
    it(`${c.title}: names ${c.field} at ${c.constructPath}, writes nothing`, () => {
      const input = shippedWith(c.base, c.overrides);
      const problems = problemsOf(input);
      const match = problems.find((p) => p.field === c.field);
      assert.ok(match, `a problem on ${c.field}; got ${JSON.stringify(problems)}`);
      assert.equal(match.environment, c.base);
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

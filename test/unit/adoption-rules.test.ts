import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { ConfigError } from "../../lib/config-error";
import { loadEnvironments, SHIPPED_ENVIRONMENTS, validateEnvironment, validateEnvironments } from "../../environments";
import type { EnvironmentOverrides } from "../../configuration/schema/merge";
import { PROTECTED_CHART_VALUES } from "../../configuration/validation/protected-values";
import { synthesizeEnvironments } from "../../tools/synth/synthesize";
import { shippedWith } from "../support/environments";
import { tempDir } from "../support/temp";

function problemsOf(input: unknown) {
  const result = validateEnvironment(input);
  return result.ok ? [] : result.problems;
}

function fields(input: unknown): string[] {
  return problemsOf(input).map((p) => p.field);
}

/** A consumer's own staging values, so placeholders are not what the test is about. */
const own: EnvironmentOverrides = {
  name: "analytics",
  account: { id: "404040404041" },
  stateBackend: { kind: "s3", bucket: "analytics-tfstate", region: "eu-west-1", kmsKeyId: "alias/analytics-tfstate" },
  observability: { slack: { account: "analytics-team" } },
  airflow: { gitSync: { repository: "git@github.com:analytics/dags.git" } },
  ci: {
    repository: "analytics/airflow-platform",
    connectionArn: "arn:aws:codeconnections:eu-west-1:404040404041:connection/5c0e7d2a-9b1f-4e36-8a4d-2f6b1c9e0d73",
    planRoleArn: "arn:aws:iam::404040404041:role/airflow-platform-plan",
  },
};

describe("every problem of a file in one report", () => {
  it("a typo, min above max and an oversized PgBouncer pool come together, the typo with a suggestion", () => {
    const problems = problemsOf(shippedWith("dev", {
      taskImages: { keepTagedImages: 10 } as EnvironmentOverrides["taskImages"],
      nodeGroups: { tasks: { minSize: 9 } },
      airflow: { pgbouncer: { metadataPoolSize: 400 } },
    }));
    assert.deepEqual(problems.map((p) => p.field).sort(), ["airflow.pgbouncer.metadataPoolSize", "nodeGroups.tasks.desiredSize", "nodeGroups.tasks.minSize", "taskImages.keepTagedImages"]);
    const typo = problems.find((p) => p.field === "taskImages.keepTagedImages");
    assert.match(typo?.allowed ?? "", /^did you mean "keepTaggedImages"\? only the fields the schema defines at taskImages/);
  });

  it("suggests maxSize for maxSzie", () => {
    const [typo] = problemsOf(shippedWith("dev", { nodeGroups: { tasks: { maxSzie: 9 } } as EnvironmentOverrides["nodeGroups"] })).filter((p) => p.field === "nodeGroups.tasks.maxSzie");
    assert.ok(typo);
    assert.match(typo.allowed, /did you mean "maxSize"\?/);
    assert.equal(typo.constructPath, "dev/dev-infrastructure/node-groups/tasks");
  });

  it("checks chart values and monitors even when a rule failed", () => {
    const found = fields(shippedWith("dev", { database: { backupRetentionDays: 0 }, airflow: { chartValueOverrides: { scheduler: { replica: 3 } } } }));
    assert.ok(found.includes("database.backupRetentionDays"), found.join());
    assert.ok(found.includes("airflow chart values: scheduler.replica"), found.join());
  });

  it("still runs the rules of the sections that parsed when another section is malformed", () => {
    const found = fields(shippedWith("prod", { observability: { slack: { channels: { critical: "#Bad Channel", warning: "ok" } } }, database: { multiAz: false } }));
    assert.ok(found.includes("observability.slack.channels.critical"), found.join());
    assert.ok(found.includes("database.multiAz"), found.join());
  });

  it("names two environments with one name before any construct exists, and writes nothing", () => {
    const outdir = join(tempDir("duplicate"), "cdktf.out");
    const twice = [shippedWith("dev", { name: "stage" }), shippedWith("dev", { name: "stage", network: { vpcCidr: "10.11.0.0/16" } })];
    assert.throws(() => synthesizeEnvironments(twice, outdir), (e: unknown) =>
      e instanceof ConfigError && e.problems.some((p) => p.environment === "stage" && p.field === "name" && /for 2 environments/.test(p.given) && /no other environment/.test(p.allowed)));
    assert.equal(existsSync(outdir), false);
  });
});

describe("protected chart values", () => {
  const refused: [string, Record<string, unknown>][] = [
    ["executor", { executor: "CeleryExecutor" }],
    ["podTemplate", { podTemplate: "apiVersion: v1\nkind: Pod\nmetadata:\n  annotations:\n    cluster-autoscaler.kubernetes.io/safe-to-evict: \"true\"\n" }],
    ["dags.gitSync.ref", { dags: { gitSync: { ref: "v1.2.0" } } }],
    ["pgbouncer.enabled", { pgbouncer: { enabled: false } }],
    ["migrateDatabaseJob.useHelmHooks", { migrateDatabaseJob: { useHelmHooks: true } }],
    ["config.core.executor", { config: { core: { executor: "LocalExecutor" } } }],
    ["fernetKey", { fernetKey: "not-really-a-key" }],
    ["logs.persistence.enabled", { logs: { persistence: { enabled: false } } }],
    ["config.metrics.statsd_prefix", { config: { metrics: { statsd_prefix: "af" } } }],
  ];
  for (const [path, overrides] of refused) {
    it(`refuses an override of ${path}, saying what it guarantees and how to waive it`, () => {
      const [problem] = problemsOf(shippedWith("dev", { airflow: { chartValueOverrides: overrides } })).filter((p) => p.field === `airflow.chartValueOverrides.${path}`);
      assert.ok(problem, path);
      assert.equal(problem.constructPath, "dev/dev-platform/airflow");
      assert.ok(problem.allowed.includes(PROTECTED_CHART_VALUES[path]), problem.allowed);
      assert.match(problem.allowed, /airflow\.chartValueWaivers/);
    });
  }

  it("accepts the same override waived with a reason, and any value nothing protects", () => {
    assert.ok(validateEnvironment(shippedWith("dev", { airflow: { chartValueOverrides: { dags: { gitSync: { ref: "v1.2.0" } } }, chartValueWaivers: [{ path: "dags.gitSync.ref", reason: "dev runs a tagged release of the DAGs while main is frozen" }] } })).ok);
    assert.ok(validateEnvironment(shippedWith("dev", { airflow: { chartValueOverrides: { config: { core: { dagbag_import_timeout: "120" } }, executor: "KubernetesExecutor" } } })).ok);
  });

  it("refuses a waiver for a path that is not protected, suggesting the near one", () => {
    const [problem] = problemsOf(shippedWith("dev", { airflow: { chartValueWaivers: [{ path: "podTemplat", reason: "a reason long enough to pass" }] } })).filter((p) => p.field === "airflow.chartValueWaivers.0.path");
    assert.match(problem?.allowed ?? "", /did you mean "podTemplate"\?/);
  });
});

describe("placeholders do not travel", () => {
  it("refuses a staging environment derived from a shipped one that keeps its example values, field by field", () => {
    const problems = problemsOf(shippedWith("staging", { name: "analytics", airflow: { gitSync: { repository: "git@git.analytics.example:team/dags.git" } } }));
    const byField = new Map(problems.map((p) => [p.field, p]));
    for (const field of ["account.id", "stateBackend.bucket", "observability.slack.account", "airflow.gitSync.repository", "airflow.gitSync.knownHosts", "ci.repository", "ci.connectionArn", "ci.planRoleArn"]) {
      assert.ok(byField.has(field), `${field}: ${JSON.stringify(problems)}`);
    }
    assert.match(byField.get("account.id")?.allowed ?? "", /your own 12-digit AWS account id: it still carries an example value, refused in staging \(example: "staging" was inherited/);
    assert.match(byField.get("airflow.gitSync.knownHosts")?.allowed ?? "", /known_hosts lines for git\.analytics\.example/);
  });

  it("accepts it once every value is the team's own, and the shipped examples as they are", () => {
    assert.deepEqual(problemsOf(shippedWith("staging", own)), []);
    assert.deepEqual(loadEnvironments(undefined).map((e) => e.name), Object.keys(SHIPPED_ENVIRONMENTS));
  });

  it("lets a dev environment keep placeholders, and an environment marked example under its own name", () => {
    assert.deepEqual(problemsOf(shippedWith("dev", { name: "sandbox" })), []);
    assert.deepEqual(problemsOf(shippedWith("prod", { name: "demo", example: "demo" })), []);
  });
});

describe("an existing VPC takes only what it uses", () => {
  const existingVpc = { vpcId: "vpc-0a1b2c3d4e5f60718", privateSubnetIds: ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002", "subnet-0a1b2c3d4e5f60003"], publicSubnetIds: [] };

  it("needs no vpcCidr and no NAT gateways, even in prod", () => {
    const config = validateEnvironments([shippedWith("prod", { network: { vpcCidr: undefined, natGateways: undefined, existingVpc } })])[0];
    assert.equal(config.network.vpcCidr, undefined);
    assert.deepEqual(config.subnets, { privateCidrs: [], publicCidrs: [] });
  });

  it("refuses NAT gateways it would not create", () => {
    const [problem] = problemsOf(shippedWith("prod", { network: { existingVpc } })).filter((p) => p.field === "network.natGateways");
    assert.match(problem?.allowed ?? "", /nothing with network\.existingVpc: no NAT gateway is created/);
  });

  it("counts private subnets against the zones, and refuses a subnet listed twice", () => {
    const two = { ...existingVpc, privateSubnetIds: existingVpc.privateSubnetIds.slice(0, 2) };
    const found = problemsOf(shippedWith("prod", { network: { vpcCidr: undefined, natGateways: undefined, existingVpc: two } }));
    assert.ok(found.some((p) => p.field === "network.existingVpc.privateSubnetIds" && /one private subnet per zone \(3: eu-west-1a, eu-west-1b, eu-west-1c\)/.test(p.allowed)), JSON.stringify(found));
    const twice = { ...existingVpc, privateSubnetIds: [existingVpc.privateSubnetIds[0], existingVpc.privateSubnetIds[0], existingVpc.privateSubnetIds[1]] };
    assert.ok(fields(shippedWith("prod", { network: { vpcCidr: undefined, natGateways: undefined, existingVpc: twice } })).includes("network.existingVpc"));
  });

  it("still needs a vpcCidr when it creates the VPC", () => {
    const [problem] = problemsOf(shippedWith("dev", { network: { vpcCidr: undefined } })).filter((p) => p.field === "network.vpcCidr");
    assert.match(problem?.allowed ?? "", /unless network\.existingVpc is given/);
  });
});

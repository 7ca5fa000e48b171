import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, it } from "node:test";
import { parse } from "yaml";
import { LOAD_BALANCER_CONTROLLER_POLICY_SUFFIX, loadBalancerControllerPolicy, RESOURCE_WIDE_ACTIONS } from "../../constructs/ingress/load-balancer-controller-policy";
import { loadBalancerControllerValues } from "../../constructs/ingress/load-balancer-controller-release";
import { LOAD_BALANCER_CONTROLLER_CHART } from "../../constructs/ingress/load-balancer-controller-versions";
import { loadEnvironments } from "../../environments";
import { evaluatePolicies } from "../../tools/policy/engine";
import type { ResourceView } from "../../tools/policy/types";
import { PLATFORM_WAIVERS } from "../../tools/policy/waivers";

const DATA = resolve(__dirname, "../../data/aws-load-balancer-controller");
const [prod] = loadEnvironments("prod");

function policyView(address: string, document: unknown): ResourceView {
  return { address, type: "aws_iam_role_policy", stack: "prod-infrastructure", values: { name: `airflow-prod${LOAD_BALANCER_CONTROLLER_POLICY_SUFFIX}` }, config: { policy: JSON.stringify(document) } };
}

const CONTROLLER_POLICY = "aws_iam_role_policy.load-balancer-controller-role_policy_0A1B2C3D";
const wildcardResults = (view: ResourceView) =>
  evaluatePolicies({ environment: prod, resources: [view] }, PLATFORM_WAIVERS).filter((r) => r.rule === "iam-no-wildcard-actions");

interface Statement {
  readonly Action: string | string[];
  readonly Resource: string | string[];
  readonly Condition?: unknown;
}

describe("the AWS Load Balancer Controller's IAM policy", () => {
  const upstream = JSON.parse(readFileSync(`${DATA}/iam_policy.json`, "utf8")) as { Statement: Statement[] };
  const built = loadBalancerControllerPolicy("aws");

  it("is the upstream policy, statement for statement", () => {
    assert.deepEqual(built, upstream);
    assert.ok(JSON.stringify(loadBalancerControllerPolicy("aws-cn")).includes('"arn:aws-cn:elasticloadbalancing:*:*:targetgroup/*/*"'));
    assert.ok(!JSON.stringify(loadBalancerControllerPolicy("aws-cn")).includes('"arn:aws:'));
  });

  it("fits in an inline role policy (IAM allows 10,240 characters per role)", () => {
    assert.ok(JSON.stringify(built).length < 10240, `${JSON.stringify(built).length} characters`);
  });

  it("fails the wildcard rule, and the platform's waiver list waives exactly that finding on the controller's role only", () => {
    const [result] = wildcardResults(policyView(CONTROLLER_POLICY, built));
    assert.equal(result.status, "waived", result.detail);
    assert.match(result.detail, /RESOURCE_WIDE_ACTIONS/);
    const [elsewhere] = wildcardResults(policyView("aws_iam_role_policy.something-else_policy_0A1B2C3D", built));
    assert.equal(elsewhere.status, "fail", "the same statements in any other policy fail");
    for (const action of Object.keys(RESOURCE_WIDE_ACTIONS)) assert.ok(elsewhere.detail.includes(action), `${action} is what the rule finds`);
  });

  it("fails the rule when upstream adds a resource-wide write that has no reason listed", () => {
    const grown = { ...built, Statement: [...built.Statement, { Effect: "Allow", Action: "elasticloadbalancing:DeleteTrustStore", Resource: "*" }] };
    const [result] = wildcardResults(policyView(CONTROLLER_POLICY, grown));
    assert.equal(result.status, "fail");
    assert.match(result.detail, /elasticloadbalancing:DeleteTrustStore/);
  });

  it("lists as exceptions only actions the upstream policy really grants on every resource without a condition", () => {
    const resourceWide = new Set(
      upstream.Statement.filter((s) => [s.Resource].flat().includes("*") && !s.Condition).flatMap((s) => [s.Action].flat()),
    );
    for (const action of Object.keys(RESOURCE_WIDE_ACTIONS)) assert.ok(resourceWide.has(action), `${action} is not resource-wide upstream`);
    for (const reason of Object.values(RESOURCE_WIDE_ACTIONS)) assert.ok(reason.length >= 20);
  });
});

describe("the AWS Load Balancer Controller's chart", () => {
  const chart = parse(readFileSync(`${DATA}/Chart.yaml`, "utf8")) as { name: string; version: string; appVersion: string };
  const defaults = parse(readFileSync(`${DATA}/values.yaml`, "utf8")) as Record<string, unknown>;
  const values = loadBalancerControllerValues({ clusterName: "airflow-prod", region: "eu-west-1", vpcId: "vpc-0123456789abcdef0", roleArn: "arn:aws:iam::333333333333:role/x" });

  it("is pinned to the version whose Chart.yaml and values.yaml are in data/", () => {
    assert.deepEqual([chart.name, chart.version, chart.appVersion], [LOAD_BALANCER_CONTROLLER_CHART.chart, LOAD_BALANCER_CONTROLLER_CHART.version, LOAD_BALANCER_CONTROLLER_CHART.appVersion]);
  });

  it("sets only values the chart defines", () => {
    const unknown = Object.keys(values).filter((key) => !(key in defaults));
    assert.deepEqual(unknown, []);
    assert.ok("annotations" in (defaults.serviceAccount as Record<string, unknown>));
  });

  it("is told its VPC and region (pods cannot reach instance metadata) and runs as the IRSA service account", () => {
    assert.equal(values.vpcId, "vpc-0123456789abcdef0");
    assert.equal(values.region, "eu-west-1");
    assert.deepEqual(values.serviceAccount, { create: true, name: "aws-load-balancer-controller", annotations: { "eks.amazonaws.com/role-arn": "arn:aws:iam::333333333333:role/x" } });
    assert.equal(values.enableServiceMutatorWebhook, false);
  });
});

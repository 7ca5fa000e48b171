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

const DATA = resolve(__dirname, "../../data/aws-load-balancer-controller");
const [prod] = loadEnvironments("prod");

function policyView(name: string, document: unknown): ResourceView {
  return { address: "aws_iam_role_policy.planted", type: "aws_iam_role_policy", stack: "prod-infrastructure", values: { name }, config: { policy: JSON.stringify(document) } };
}

const wildcardFailures = (view: ResourceView) =>
  evaluatePolicies({ environment: prod, resources: [view] }, []).filter((r) => r.rule === "iam-no-wildcard-actions" && r.status === "fail");

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

  it("passes the wildcard rule only as the controller's policy, through the reasoned exceptions", () => {
    assert.deepEqual(wildcardFailures(policyView(`airflow-prod${LOAD_BALANCER_CONTROLLER_POLICY_SUFFIX}`, built)), []);
    const elsewhere = wildcardFailures(policyView("airflow-prod-something-else", built));
    assert.equal(elsewhere.length, 1, "the same statements in any other policy fail");
  });

  it("fails the rule when upstream adds a resource-wide write that has no reason listed", () => {
    const grown = { ...built, Statement: [...built.Statement, { Effect: "Allow", Action: "elasticloadbalancing:DeleteTrustStore", Resource: "*" }] };
    const failures = wildcardFailures(policyView(`airflow-prod${LOAD_BALANCER_CONTROLLER_POLICY_SUFFIX}`, grown));
    assert.match(failures[0]?.detail ?? "", /elasticloadbalancing:DeleteTrustStore on every resource/);
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

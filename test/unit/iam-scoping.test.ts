import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { githubTrustPolicy } from "../../constructs/ci/pipeline-roles";
import { loadEnvironments } from "../../environments";
import { evaluatePolicies } from "../../tools/policy/engine";
import type { ResourceView } from "../../tools/policy/types";

// The two holes the wildcard rule had: any Condition counted as scoping `Resource: *`, and every
// `Get*` counted as unscopable. And the trust rule on GitHub's OIDC subjects.

const [prod] = loadEnvironments("prod");

function verdict(type: "aws_iam_role_policy" | "aws_iam_role", rule: string, document: unknown): string {
  const attribute = type === "aws_iam_role" ? "assume_role_policy" : "policy";
  const view: ResourceView = { address: `${type}.planted`, type, stack: "prod-infrastructure", values: {}, config: { [attribute]: JSON.stringify(document) } };
  const [result] = evaluatePolicies({ environment: prod, resources: [view] }, []).filter((r) => r.rule === rule);
  return result.status === "pass" ? "pass" : result.detail;
}
const allow = (Action: string | string[], Condition?: unknown) => ({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action, Resource: "*", ...(Condition ? { Condition } : {}) }] });
const wildcard = (document: unknown) => verdict("aws_iam_role_policy", "iam-no-wildcard-actions", document);

describe("iam-no-wildcard-actions on Resource: *", () => {
  it("fails GetSecretValue and other scopable Gets, and passes only the resource-less ones", () => {
    assert.match(wildcard(allow("secretsmanager:GetSecretValue")), /allows secretsmanager:GetSecretValue on every resource/);
    assert.match(wildcard(allow(["ssm:GetParameter", "s3:GetObject"])), /allows s3:GetObject, ssm:GetParameter/);
    assert.equal(wildcard(allow(["sts:GetCallerIdentity", "ec2:Describe*", "eks:ListClusters"])), "pass");
  });

  it("lets only a condition that narrows the resources scope it", () => {
    assert.match(wildcard(allow("ec2:TerminateInstances", { Bool: { "aws:SecureTransport": "true" } })), /allows ec2:TerminateInstances/);
    assert.match(wildcard(allow("ec2:TerminateInstances", { IpAddress: { "aws:SourceIp": "10.0.0.0/8" } })), /allows ec2:TerminateInstances/);
    assert.match(wildcard(allow("ec2:DeleteVolume", { Null: { "aws:ResourceTag/owner": "true" } })), /allows ec2:DeleteVolume/, "an absent tag admits every untagged resource");
    assert.equal(wildcard(allow("ec2:DeleteVolume", { Null: { "aws:ResourceTag/owner": "false" } })), "pass");
    assert.equal(wildcard(allow("autoscaling:SetDesiredCapacity", { StringEquals: { "aws:ResourceTag/k8s.io/cluster-autoscaler/airflow-prod": "owned" } })), "pass");
    assert.equal(wildcard(allow("kms:Decrypt", { StringEquals: { "kms:ViaService": "secretsmanager.eu-west-1.amazonaws.com" } })), "pass");
  });
});

describe("iam-trust-scoped on GitHub's OIDC trust", () => {
  const issuer = "token.actions.githubusercontent.com";
  const trust = (subject: string) => verdict("aws_iam_role", "iam-trust-scoped", githubTrustPolicy({ providerArn: "arn:aws:iam::333333333333:oidc-provider/x", issuer, audience: "sts.amazonaws.com", subjects: [subject] }));

  it("passes one repository's one environment on main, or on any ref", () => {
    assert.equal(trust("repo:acme/platform:environment:prod:ref:refs/heads/main"), "pass");
    assert.equal(trust("repo:acme/platform:environment:dev-plan:ref:*"), "pass");
  });

  it("fails a wildcard in the repository or environment, and a subject with no environment", () => {
    assert.match(trust("repo:acme/*:environment:prod:ref:refs/heads/main"), /repository:environment:ref subjects/);
    assert.match(trust("repo:acme/platform:environment:*:ref:refs/heads/main"), /repository:environment:ref subjects/);
    assert.match(trust("repo:acme/platform:*"), /repository:environment:ref subjects/);
    assert.match(trust("repo:acme/platform:ref:refs/heads/main"), /repository:environment:ref subjects/);
  });

  it("passes a plan role shared by two environments, each subject bound, and fails if one is not", () => {
    const shared = (subjects: string[]) => verdict("aws_iam_role", "iam-trust-scoped", githubTrustPolicy({ providerArn: "arn:aws:iam::333333333333:oidc-provider/x", issuer, audience: "sts.amazonaws.com", subjects }));
    assert.equal(shared(["repo:acme/platform:environment:prod-plan:ref:refs/heads/main", "repo:acme/platform:environment:prodnext-plan:ref:refs/heads/main"]), "pass");
    assert.match(shared(["repo:acme/platform:environment:dev-plan:ref:*", "repo:acme/*:environment:stage-plan:ref:*"]), /repository:environment:ref subjects/);
  });

  it("fails a trust without the STS audience", () => {
    const document = githubTrustPolicy({ providerArn: "arn:aws:iam::333333333333:oidc-provider/x", issuer, audience: "sts.amazonaws.com", subjects: ["repo:acme/platform:environment:prod:ref:refs/heads/main"] });
    const conditions = document.Statement[0].Condition ?? {};
    const withoutAudience = { ...document, Statement: [{ ...document.Statement[0], Condition: { StringEquals: { [`${issuer}:sub`]: conditions.StringEquals?.[`${issuer}:sub`] ?? "" } } }] };
    assert.match(verdict("aws_iam_role", "iam-trust-scoped", withoutAudience), /audience/);
  });
});

import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { accountBootstrapStackName, GITHUB_OIDC_ISSUER } from "../../configuration/derived/pipeline-identities";
import { ciRunnerProjectName } from "../../configuration/derived/resource-names";
import { ACCOUNT, dev, MEMBERS, OUTSIDER, prod } from "../support/pipeline-fixture";
import { cachedPlan } from "../support/plan-cache";
import { synthesize } from "../support/synth";
import { plannedResources, type PlannedResource, type TerraformPlan } from "../support/terraform";

// The pipeline's identities on the real offline plan: who may start the prod runner (the
// CodeBuild webhook's filters, evaluated as CodeBuild documents them), and the account-bootstrap
// stack's OIDC provider and roles. Fixture environments of the tests' own (support/pipeline-fixture.ts).

interface WebhookFilter {
  readonly type: string;
  readonly pattern: string;
  readonly exclude_matched_pattern: boolean;
}
/** The fields of a GitHub webhook delivery CodeBuild filters on. */
interface GitHubEvent {
  readonly event: string;
  /** `sender.id`: who caused the event; for a fork's pull request, its author. */
  readonly senderId: number;
}

/**
 * CodeBuild's documented semantics: a build starts when any filter group matches; a group
 * matches when every filter does; EVENT is a comma-separated list, the others regular expressions
 * (`exclude_matched_pattern` inverts one).
 * @see https://docs.aws.amazon.com/codebuild/latest/userguide/github-webhook.html
 */
function startsBuild(filterGroups: readonly { filter: readonly WebhookFilter[] }[], event: GitHubEvent): boolean {
  const value = (type: string) => {
    if (type === "ACTOR_ACCOUNT_ID") return String(event.senderId);
    throw new Error(`the test does not know webhook filter type ${type}: teach it before trusting it`);
  };
  const matches = (f: WebhookFilter) => {
    const hit = f.type === "EVENT" ? f.pattern.split(",").map((e) => e.trim()).includes(event.event) : new RegExp(f.pattern).test(value(f.type));
    return f.exclude_matched_pattern ? !hit : hit;
  };
  return filterGroups.some((group) => group.filter.every(matches));
}

const statementsOf = (policy: unknown) => (JSON.parse(String(policy)) as { Statement: { Sid?: string; Effect: string; Action: string | string[]; Resource?: string | string[]; Condition?: Record<string, Record<string, unknown>> }[] }).Statement;
const named = (plan: TerraformPlan, type: string, name: string): PlannedResource => {
  const found = plannedResources(plan, type).find((r) => r.values.name === name);
  assert.ok(found, `${type} ${name} in the plan`);
  return found;
};

describe("the pipeline's identities on the offline plan", () => {
  const synthesized = synthesize([dev, prod]);
  let infrastructure: TerraformPlan;
  let bootstrap: TerraformPlan;
  before(() => {
    infrastructure = cachedPlan(synthesized.stackDir(`${prod.name}-infrastructure`));
    bootstrap = cachedPlan(synthesized.stackDir(accountBootstrapStackName(ACCOUNT)));
  });

  it("starts prod's in-VPC runner for a member's queued job, never for a fork's pull request or anyone else", () => {
    const webhook = plannedResources(infrastructure, "aws_codebuild_webhook").find((w) => w.values.project_name === ciRunnerProjectName(prod));
    assert.ok(webhook);
    const groups = webhook.values.filter_group as { filter: WebhookFilter[] }[];
    for (const member of MEMBERS) assert.equal(startsBuild(groups, { event: "WORKFLOW_JOB_QUEUED", senderId: member }), true, `member ${member}`);
    // A fork's pull request: its workflow jobs are queued in this repository with the fork's author as sender.
    assert.equal(startsBuild(groups, { event: "WORKFLOW_JOB_QUEUED", senderId: OUTSIDER }), false, "a fork's pull request");
    assert.equal(startsBuild(groups, { event: "WORKFLOW_JOB_QUEUED", senderId: Number(`${MEMBERS[0]}1`) }), false, "an id that only starts like a member's");
    assert.equal(startsBuild(groups, { event: "PULL_REQUEST_CREATED", senderId: MEMBERS[0] }), false, "not a queued job");
  });

  it("trusts GitHub's issuer once per account, with the STS audience", () => {
    const [provider] = plannedResources(bootstrap, "aws_iam_openid_connect_provider");
    assert.equal(provider.values.url, `https://${GITHUB_OIDC_ISSUER}`);
    assert.deepEqual(provider.values.client_id_list, ["sts.amazonaws.com"]);
    assert.equal(plannedResources(bootstrap, "aws_iam_openid_connect_provider").length, 1);
  });

  it("lets only main in the environment's GitHub environment deploy, and plan prod; dev's plan role any ref of its plan environment", () => {
    // The trust names the OIDC provider's ARN, unknown until apply, so the plan leaves it out:
    // the role comes from the plan, its trust from the synthesized stack Terraform planned.
    const synthesizedRoles = Object.values(synthesized.stackJson(accountBootstrapStackName(ACCOUNT)).resource.aws_iam_role);
    const trust = (role: string) => {
      assert.equal(named(bootstrap, "aws_iam_role", role).values.assume_role_policy, undefined, "unknown until apply");
      const configured = synthesizedRoles.find((r) => r.name === role);
      assert.ok(configured, role);
      assert.match(String(configured.assume_role_policy), /"Federated":"\$\{aws_iam_openid_connect_provider\.github-oidc\.arn\}"/);
      return statementsOf(configured.assume_role_policy)[0];
    };
    const sub = `${GITHUB_OIDC_ISSUER}:sub`;
    const aud = `${GITHUB_OIDC_ISSUER}:aud`;
    assert.deepEqual(trust("airflow-prod-deploy").Condition, { StringEquals: { [aud]: "sts.amazonaws.com", [sub]: "repo:fixture-org/fixture-platform:environment:prod:ref:refs/heads/main" } });
    assert.deepEqual(trust("fixture-prod-plan").Condition, { StringEquals: { [aud]: "sts.amazonaws.com", [sub]: "repo:fixture-org/fixture-platform:environment:prod-plan:ref:refs/heads/main" } });
    assert.deepEqual(trust("fixture-dev-plan").Condition, { StringEquals: { [aud]: "sts.amazonaws.com" }, StringLike: { [sub]: "repo:fixture-org/fixture-platform:environment:dev-plan:ref:*" } });
    assert.deepEqual(trust("airflow-dev-deploy").Condition?.StringEquals?.[sub], "repo:fixture-org/fixture-platform:environment:dev:ref:refs/heads/main");
    for (const role of ["airflow-prod-deploy", "fixture-prod-plan"]) assert.equal(trust(role).Action, "sts:AssumeRoleWithWebIdentity");
  });

  it("gives the plan role no secret value: GetSecretValue denied, decrypts only through S3, the platform state denied", () => {
    const policy = plannedResources(bootstrap, "aws_iam_role_policy").find((p) => p.values.role === "fixture-prod-plan");
    assert.ok(policy);
    const statements = statementsOf(policy.values.policy);
    const allowed = statements.filter((s) => s.Effect === "Allow").flatMap((s) => [s.Action].flat());
    for (const action of allowed) assert.doesNotMatch(action, /^(secretsmanager:(Get|BatchGet)SecretValue|ssm:GetParameter|\*|[a-z0-9-]+:\*|secretsmanager:Get\*)/, action);
    const denied = statements.filter((s) => s.Effect === "Deny");
    assert.ok(denied.some((s) => [s.Action].flat().includes("secretsmanager:GetSecretValue") && s.Resource === "*" && !s.Condition));
    const decrypt = denied.find((s) => s.Action === "kms:Decrypt");
    assert.deepEqual(decrypt?.Condition, { StringNotEquals: { "kms:ViaService": "s3.eu-west-1.amazonaws.com" } });
    const backend = prod.stateBackend;
    assert.equal(backend.kind, "s3");
    if (backend.kind !== "s3") return;
    const object = (stack: string) => `arn:aws:s3:::${backend.bucket}/${backend.keyPrefix}/${stack}.tfstate`;
    const reads = statements.filter((s) => s.Effect === "Allow" && s.Action === "s3:GetObject").flatMap((s) => [s.Resource].flat());
    assert.deepEqual(reads.sort(), [object("prod-infrastructure"), object("prod-observability")].sort());
    assert.ok(denied.some((s) => s.Action === "s3:GetObject" && [s.Resource].flat().includes(object("prod-platform"))));
    // No AWS managed read policy (ReadOnlyAccess reads every S3 object, state included).
    assert.deepEqual(plannedResources(bootstrap, "aws_iam_role_policy_attachment").map((a) => a.values.role).sort(), ["airflow-dev-deploy", "airflow-prod-deploy"]);
  });

  it("gives the plan role view access to prod's cluster without Secrets", () => {
    const association = plannedResources(infrastructure, "aws_eks_access_policy_association").find((a) => a.values.principal_arn === prod.ci.planRoleArn);
    assert.equal(association?.values.policy_arn, "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy");
  });
});

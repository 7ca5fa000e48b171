import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { DeployRole, PlanRole } from "../constructs/ci/pipeline-roles";
import { Construct, TerraformOutput, TerraformStack } from "../constructs/core";
import type { EnvironmentConfig } from "../configuration/schema/environment-config";
import { infrastructureStackName, observabilityStackName, platformStackName } from "../configuration/derived/construct-paths";
import {
  accountBootstrapStackName,
  DEPLOY_REF,
  deployEnvironmentName,
  deployRoleName,
  GITHUB_OIDC_AUDIENCE,
  GITHUB_OIDC_ISSUER,
  githubOidcSubject,
  planEnvironmentName,
  planRoleRef,
  roleNameOf,
} from "../configuration/derived/pipeline-identities";
import { configureStateBackend } from "./state-backend";

export { accountBootstrapStackName };

/**
 * What the pipeline needs before it can run at all, per AWS account: GitHub's OIDC provider and,
 * for every environment in the account, its deploy role and the plan role it names. Applied once by a person with
 * administrator credentials (`cdktf deploy bootstrap-<account>`; docs/pipeline-security.md), then
 * whenever an environment is added or its repository changes; the pipeline never applies it,
 * so no job can widen its own trust.
 */
export class AccountBootstrapStack extends TerraformStack {
  readonly accountId: string;

  constructor(scope: Construct, accountId: string, configs: readonly EnvironmentConfig[]) {
    const name = accountBootstrapStackName(accountId);
    super(scope, name);
    const [first] = [...configs].sort((a, b) => a.name.localeCompare(b.name));
    if (!first || configs.some((c) => c.account.id !== accountId)) {
      throw new Error(`${name}: needs the environments of account ${accountId} only, got ${configs.map((c) => `${c.name} (${c.account.id})`).join(", ") || "none"}`);
    }
    this.accountId = accountId;
    configureStateBackend(this, name, first.stateBackend);
    new AwsProvider(this, "aws", {
      region: first.account.region,
      allowedAccountIds: [accountId],
      defaultTags: [{ tags: { ...first.tags, "airflow-platform/stack": name } }],
    });

    // AWS trusts GitHub's issuer through its own root CAs; no thumbprint is pinned.
    const provider = new IamOpenidConnectProvider(this, "github-oidc", {
      url: `https://${GITHUB_OIDC_ISSUER}`,
      clientIdList: [GITHUB_OIDC_AUDIENCE],
    });
    const trust = (subjects: readonly string[]) => ({ providerArn: provider.arn, issuer: GITHUB_OIDC_ISSUER, audience: GITHUB_OIDC_AUDIENCE, subjects });
    // Environments of one account may name one plan role: it trusts, and reads for, all of them.
    const byPlanRole = new Map<string, EnvironmentConfig[]>();
    // An environment without ci.planRoleArn is diffed by no one through this stack (another CI plans it).
    for (const config of configs) {
      const planRoleArn = config.ci.planRoleArn;
      if (planRoleArn === undefined) continue;
      byPlanRole.set(roleNameOf(planRoleArn), [...(byPlanRole.get(roleNameOf(planRoleArn)) ?? []), config]);
    }
    for (const [roleName, sharing] of byPlanRole) {
      const role = new PlanRole(this, `plan-role-${roleName}`, {
        environments: sharing.map((c) => c.name),
        partition: first.partition,
        roleName,
        trust: trust(sharing.map((c) => githubOidcSubject(c.ci.repository, planEnvironmentName(c), planRoleRef(c)))),
        policy: {
          region: first.account.region,
          accountId,
          environments: sharing.map((c) => ({
            plannedStacks: [infrastructureStackName(c.name), observabilityStackName(c.name)],
            forbiddenStacks: [platformStackName(c.name)],
            state: c.stateBackend.kind === "s3" ? { bucket: c.stateBackend.bucket, keyPrefix: c.stateBackend.keyPrefix, region: c.stateBackend.region } : undefined,
          })),
        },
      });
      for (const c of sharing) new TerraformOutput(this, `${c.name}-plan-role-arn`, { value: role.roleArn, description: `AWS_PLAN_ROLE_ARN of the GitHub environment ${planEnvironmentName(c)}` });
    }
    for (const config of configs) {
      const deploy = new DeployRole(this, `${config.name}-pipeline-roles`, {
        environment: config.name,
        partition: config.partition,
        roleName: deployRoleName(config),
        trust: trust([githubOidcSubject(config.ci.repository, deployEnvironmentName(config), DEPLOY_REF)]),
      });
      new TerraformOutput(this, `${config.name}-deploy-role-arn`, { value: deploy.roleArn, description: `AWS_DEPLOY_ROLE_ARN of the GitHub environment ${deployEnvironmentName(config)}` });
    }
  }
}

/** One bootstrap stack per account the environments live in. */
export function accountBootstrapStacks(scope: Construct, configs: readonly EnvironmentConfig[]): AccountBootstrapStack[] {
  const accounts = [...new Set(configs.map((c) => c.account.id))].sort();
  return accounts.map((id) => new AccountBootstrapStack(scope, id, configs.filter((c) => c.account.id === id)));
}

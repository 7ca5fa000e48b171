import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { PipelineRoles } from "../constructs/ci/pipeline-roles";
import { Construct, TerraformOutput, TerraformStack } from "../constructs/core";
import type { EnvironmentConfig } from "../environments/config";
import { infrastructureStackName, observabilityStackName, platformStackName } from "../environments/derived/construct-paths";
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
} from "../environments/derived/pipeline-identities";
import { configureStateBackend } from "./state-backend";

export { accountBootstrapStackName };

/**
 * What the pipeline needs before it can run at all, per AWS account: GitHub's OIDC provider and,
 * for every environment in the account, its plan and deploy roles. Applied once by a person with
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
    const planRoles = new Map<string, string>();
    for (const config of configs) {
      const role = roleNameOf(config.ci.planRoleArn);
      const other = planRoles.get(role);
      if (other) throw new Error(`${name}: environments ${other} and ${config.name} both name the plan role ${role} (ci.planRoleArn); give each its own`);
      planRoles.set(role, config.name);
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
    const trust = (subject: string) => ({ providerArn: provider.arn, issuer: GITHUB_OIDC_ISSUER, audience: GITHUB_OIDC_AUDIENCE, subject });
    for (const config of configs) {
      const backend = config.stateBackend;
      const roles = new PipelineRoles(this, `${config.name}-pipeline-roles`, {
        environment: config.name,
        partition: config.partition,
        planRoleName: roleNameOf(config.ci.planRoleArn),
        planTrust: trust(githubOidcSubject(config.ci.repository, planEnvironmentName(config), planRoleRef(config))),
        planPolicy: {
          region: config.account.region,
          accountId,
          plannedStacks: [infrastructureStackName(config.name), observabilityStackName(config.name)],
          forbiddenStacks: [platformStackName(config.name)],
          state: backend.kind === "s3" ? { bucket: backend.bucket, keyPrefix: backend.keyPrefix, region: backend.region } : undefined,
        },
        deployRoleName: deployRoleName(config),
        deployTrust: trust(githubOidcSubject(config.ci.repository, deployEnvironmentName(config), DEPLOY_REF)),
      });
      new TerraformOutput(this, `${config.name}-plan-role-arn`, { value: roles.planRoleArn, description: `AWS_PLAN_ROLE_ARN of the GitHub environment ${planEnvironmentName(config)}` });
      new TerraformOutput(this, `${config.name}-deploy-role-arn`, { value: roles.deployRoleArn, description: `AWS_DEPLOY_ROLE_ARN of the GitHub environment ${deployEnvironmentName(config)}` });
    }
  }
}

/** One bootstrap stack per account the environments live in. */
export function accountBootstrapStacks(scope: Construct, configs: readonly EnvironmentConfig[]): AccountBootstrapStack[] {
  const accounts = [...new Set(configs.map((c) => c.account.id))].sort();
  return accounts.map((id) => new AccountBootstrapStack(scope, id, configs.filter((c) => c.account.id === id)));
}

import type { EnvironmentConfig } from "../schema/environment-config";

// Who the pipeline is, as AWS sees it: GitHub's OIDC tokens, the GitHub environments jobs run in,
// and which refs may assume which role. The account-bootstrap stack builds the roles' trust from
// these; the workflow's tests read the same functions, so the two cannot drift apart.

/** GitHub's OIDC issuer, without the scheme: IAM condition keys are `<issuer>:sub`, `<issuer>:aud`. */
export const GITHUB_OIDC_ISSUER = "token.actions.githubusercontent.com";
export const GITHUB_OIDC_AUDIENCE = "sts.amazonaws.com";

/**
 * The claims the repository's OIDC subject is made of, set once per repository (docs/
 * pipeline-security.md, "Day one"): GitHub's default subject of a job in an environment has no
 * ref, so without `ref` a role could not require `main`. With these the subject reads
 * `repo:<owner>/<name>:environment:<environment>:ref:<ref>`.
 * @see https://docs.github.com/en/actions/reference/security/oidc#customizing-the-subject-claims-for-an-organization-or-repository
 */
export const GITHUB_OIDC_SUBJECT_CLAIMS = ["repo", "context", "ref"] as const;

/** The only ref whose jobs may deploy, and may plan prod. */
export const DEPLOY_REF = "refs/heads/main";

/** The OIDC subject of a job of `repository` in GitHub environment `environment` on `ref` (`*` for any). */
export function githubOidcSubject(repository: string, environment: string, ref: string): string {
  return `repo:${repository}:environment:${environment}:ref:${ref}`;
}

/** The GitHub environment deploy jobs run in: the environment's own name. */
export function deployEnvironmentName(config: Pick<EnvironmentConfig, "name">): string {
  return config.name;
}

/** The GitHub environment diff jobs run in, holding the plan role's ARN and that environment's Datadog keys. */
export function planEnvironmentName(config: Pick<EnvironmentConfig, "name">): string {
  return `${config.name}-plan`;
}

/**
 * Whether a pull request (code nobody has reviewed yet) may plan this environment. Never prod:
 * prod is planned from main only, so no pull request holds prod's role, state or Datadog keys.
 */
export function pullRequestsMayPlan(config: Pick<EnvironmentConfig, "stage">): boolean {
  return config.stage !== "prod";
}

/** The refs whose jobs may assume the plan role: any (pull requests) below prod, main in prod. */
export function planRoleRef(config: Pick<EnvironmentConfig, "stage">): string {
  return pullRequestsMayPlan(config) ? "*" : DEPLOY_REF;
}

/** The deploy role's name: `<prefix>-deploy`. The plan role's comes from `ci.planRoleArn`. */
export function deployRoleName(config: Pick<EnvironmentConfig, "resourcePrefix">): string {
  return `${config.resourcePrefix}-deploy`;
}

/** The role name at the end of an IAM role ARN (path dropped). */
export function roleNameOf(roleArn: string): string {
  return roleArn.slice(roleArn.lastIndexOf("/") + 1);
}

/** `bootstrap-<account id>`: one per AWS account, since IAM allows one OIDC provider per issuer per account. */
export function accountBootstrapStackName(accountId: string): string {
  return `bootstrap-${accountId}`;
}

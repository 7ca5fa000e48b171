import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { Construct } from "../core";
import { awsManagedPolicyArn, policyDocument, toPolicyJson, type PolicyDocument } from "../iam/policy-document";
import { planRolePolicy, type PlanRolePolicyProps } from "./plan-role-policy";

/** What GitHub's OIDC tokens must say for a role to be assumed. */
export interface GitHubTrust {
  /** ARN of the account's GitHub OIDC provider. */
  readonly providerArn: string;
  /** The issuer without scheme, the prefix of the condition keys. */
  readonly issuer: string;
  readonly audience: string;
  /** The subjects a token may carry (one per environment sharing the role); a `*` makes the match a StringLike. */
  readonly subjects: readonly string[];
}

/**
 * The trust policy of a role GitHub Actions jobs assume: one OIDC provider, one audience, one
 * subject (repository, GitHub environment and ref). Only a `*` in the ref, which the subject's
 * last part is, is ever a pattern.
 * @see https://docs.github.com/en/actions/how-tos/secure-your-work/security-harden-deployments/oidc-in-aws
 */
export function githubTrustPolicy(trust: GitHubTrust): PolicyDocument {
  const pattern = trust.subjects.some((s) => s.includes("*"));
  const subject = { [`${trust.issuer}:sub`]: trust.subjects.length === 1 ? trust.subjects[0] : [...trust.subjects].sort() };
  return policyDocument({
    Effect: "Allow",
    Principal: { Federated: trust.providerArn },
    Action: "sts:AssumeRoleWithWebIdentity",
    Condition: pattern
      ? { StringEquals: { [`${trust.issuer}:aud`]: trust.audience }, StringLike: subject }
      : { StringEquals: { [`${trust.issuer}:aud`]: trust.audience, ...subject } },
  });
}

export interface PlanRoleProps {
  /** The environments that name this role, for its description. */
  readonly environments: readonly string[];
  readonly partition: PlanRolePolicyProps["partition"];
  readonly roleName: string;
  readonly trust: GitHubTrust;
  readonly policy: Omit<PlanRolePolicyProps, "partition">;
}

/**
 * A plan role: reads what `cdktf diff` of the AWS and Datadog stacks refreshes, and never a secret
 * value. Environments in one account may share one (their subjects and states are all listed).
 */
export class PlanRole extends Construct {
  readonly roleArn: string;

  constructor(scope: Construct, id: string, props: PlanRoleProps) {
    super(scope, id);
    const role = new IamRole(this, "role", {
      name: props.roleName,
      description: `${props.environments.join(", ")}: cdktf diff of the AWS and Datadog stacks; reads no secret value`,
      assumeRolePolicy: toPolicyJson(githubTrustPolicy(props.trust)),
      maxSessionDuration: 3600,
    });
    new IamRolePolicy(this, "policy", {
      role: role.name,
      name: `${props.roleName}-read`,
      policy: toPolicyJson(planRolePolicy({ partition: props.partition, ...props.policy })),
    });
    this.roleArn = role.arn;
  }
}

export interface DeployRoleProps {
  readonly environment: string;
  readonly partition: PlanRolePolicyProps["partition"];
  readonly roleName: string;
  readonly trust: GitHubTrust;
}

/**
 * An environment's deploy role: it applies every stack, so it is an administrator of the account;
 * what keeps it safe is who may assume it: jobs of the environment's GitHub environment on `main`
 * only (whose required reviewers approve each run).
 */
export class DeployRole extends Construct {
  readonly roleArn: string;

  constructor(scope: Construct, id: string, props: DeployRoleProps) {
    super(scope, id);
    const role = new IamRole(this, "deploy-role", {
      name: props.roleName,
      description: `${props.environment}: cdktf deploy of every stack, from main in the GitHub environment ${props.environment} only`,
      assumeRolePolicy: toPolicyJson(githubTrustPolicy(props.trust)),
      maxSessionDuration: 3 * 3600,
    });
    new IamRolePolicyAttachment(this, "deploy-role-admin", {
      role: role.name,
      policyArn: awsManagedPolicyArn(props.partition, "AdministratorAccess"),
    });
    this.roleArn = role.arn;
  }
}

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
  /** The subject the token must carry; a `*` makes the match a StringLike. */
  readonly subject: string;
}

/**
 * The trust policy of a role GitHub Actions jobs assume: one OIDC provider, one audience, one
 * subject (repository, GitHub environment and ref). Only a `*` in the ref, which the subject's
 * last part is, is ever a pattern.
 * @see https://docs.github.com/en/actions/how-tos/secure-your-work/security-harden-deployments/oidc-in-aws
 */
export function githubTrustPolicy(trust: GitHubTrust): PolicyDocument {
  const pattern = trust.subject.includes("*");
  const subject = { [`${trust.issuer}:sub`]: trust.subject };
  return policyDocument({
    Effect: "Allow",
    Principal: { Federated: trust.providerArn },
    Action: "sts:AssumeRoleWithWebIdentity",
    Condition: pattern
      ? { StringEquals: { [`${trust.issuer}:aud`]: trust.audience }, StringLike: subject }
      : { StringEquals: { [`${trust.issuer}:aud`]: trust.audience, ...subject } },
  });
}

export interface PipelineRolesProps {
  readonly environment: string;
  readonly partition: PlanRolePolicyProps["partition"];
  readonly planRoleName: string;
  readonly planTrust: GitHubTrust;
  readonly planPolicy: Omit<PlanRolePolicyProps, "partition">;
  readonly deployRoleName: string;
  readonly deployTrust: GitHubTrust;
}

/**
 * One environment's two pipeline roles. The plan role reads what `cdktf diff` of the AWS and
 * Datadog stacks refreshes and never a secret value. The deploy role applies every stack, so it
 * is an administrator of the account; what keeps it safe is who may assume it: jobs of the
 * environment's GitHub environment on `main` only (whose required reviewers approve each run).
 */
export class PipelineRoles extends Construct {
  readonly planRoleArn: string;
  readonly deployRoleArn: string;

  constructor(scope: Construct, id: string, props: PipelineRolesProps) {
    super(scope, id);
    const plan = new IamRole(this, "plan-role", {
      name: props.planRoleName,
      description: `${props.environment}: cdktf diff of the AWS and Datadog stacks; reads no secret value`,
      assumeRolePolicy: toPolicyJson(githubTrustPolicy(props.planTrust)),
      maxSessionDuration: 3600,
    });
    new IamRolePolicy(this, "plan-role-policy", {
      role: plan.name,
      name: `${props.planRoleName}-read`,
      policy: toPolicyJson(planRolePolicy({ partition: props.partition, ...props.planPolicy })),
    });
    const deploy = new IamRole(this, "deploy-role", {
      name: props.deployRoleName,
      description: `${props.environment}: cdktf deploy of every stack, from main in the GitHub environment ${props.environment} only`,
      assumeRolePolicy: toPolicyJson(githubTrustPolicy(props.deployTrust)),
      maxSessionDuration: 3 * 3600,
    });
    new IamRolePolicyAttachment(this, "deploy-role-admin", {
      role: deploy.name,
      policyArn: awsManagedPolicyArn(props.partition, "AdministratorAccess"),
    });
    this.planRoleArn = plan.arn;
    this.deployRoleArn = deploy.arn;
  }
}

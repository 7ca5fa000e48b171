import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { CodebuildProject } from "@cdktf/provider-aws/lib/codebuild-project";
import { CodebuildWebhook } from "@cdktf/provider-aws/lib/codebuild-webhook";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Construct } from "../core";
import { serviceTrustPolicy, toPolicyJson } from "../iam/policy-document";
import type { Duration } from "../../lib/units";
import { runnerPolicy } from "./runner-policy";

/** CodeBuild's Linux container sizes (small: 2 vCPU/3 GB, medium: 4/7, large: 8/15, xlarge: 36/72). */
export const RUNNER_COMPUTE_TYPES = ["BUILD_GENERAL1_SMALL", "BUILD_GENERAL1_MEDIUM", "BUILD_GENERAL1_LARGE", "BUILD_GENERAL1_XLARGE"] as const;
export type RunnerComputeType = (typeof RUNNER_COMPUTE_TYPES)[number];

/**
 * CodeBuild's Ubuntu image: the same family as GitHub's `ubuntu-latest`, with git, Node and the
 * AWS CLI the Kubernetes and Helm providers' `aws eks get-token` needs.
 * @see https://docs.aws.amazon.com/codebuild/latest/userguide/ec2-compute-images.html
 */
export const RUNNER_IMAGE = "aws/codebuild/standard:7.0";

/** The webhook event that makes CodeBuild start a runner for a queued workflow job. */
export const WORKFLOW_JOB_QUEUED = "WORKFLOW_JOB_QUEUED";

/** One webhook filter as CodeBuild reads it: a regular expression on one field of GitHub's event. */
export interface WebhookFilter {
  readonly type: "EVENT" | "ACTOR_ACCOUNT_ID";
  readonly pattern: string;
}

/**
 * The runner's one filter group: a queued workflow job, started by one of the listed GitHub user
 * ids (`sender.id` of the event). CodeBuild's GitHub events carry no "from a fork" field, and
 * hashicorp/aws 5.100.0 has no pull-request build policy; the actor is what a fork's pull request
 * cannot choose: its jobs are queued with its author as sender, who is not a member.
 * @see https://docs.aws.amazon.com/codebuild/latest/userguide/github-webhook.html
 */
export function runnerWebhookFilters(actorIds: readonly number[]): WebhookFilter[] {
  if (actorIds.length === 0) throw new Error("runnerWebhookFilters: no GitHub user id may start the runner; list at least one");
  return [
    { type: "EVENT", pattern: WORKFLOW_JOB_QUEUED },
    { type: "ACTOR_ACCOUNT_ID", pattern: `^(${[...new Set(actorIds)].join("|")})$` },
  ];
}

/**
 * The `runs-on` label a workflow job uses to run on a project's runner; GitHub matches the run id
 * and attempt, so each job gets a fresh, ephemeral runner.
 * @see https://docs.aws.amazon.com/codebuild/latest/userguide/action-runner.html
 */
export function runnerLabel(projectName: string): string {
  return `codebuild-${projectName}-\${{ github.run_id }}-\${{ github.run_attempt }}`;
}

export interface GitHubActionsRunnerProps {
  /** The CodeBuild project's name, and so the middle of the `runs-on` label. */
  readonly projectName: string;
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
  /** `owner/name` of the one repository whose queued jobs start this runner. */
  readonly repository: string;
  /** GitHub user ids whose queued jobs may start it; nobody else's (a fork's author included). */
  readonly actorIds: readonly number[];
  /**
   * The CodeConnections connection CodeBuild reads the repository and creates the webhook with.
   * @see https://docs.aws.amazon.com/codebuild/latest/userguide/connections-github-app.html
   */
  readonly connectionArn: string;
  readonly vpcId: string;
  /** The private subnets: the runner reaches the cluster's private endpoint from there. */
  readonly subnetIds: readonly string[];
  /** The cluster security group, which guards the private API endpoint; the runner gets 443 on it. */
  readonly clusterSecurityGroupId: string;
  /**
   * @default "BUILD_GENERAL1_MEDIUM"
   * @see https://docs.aws.amazon.com/codebuild/latest/userguide/build-env-ref-compute-types.html
   */
  readonly computeType?: RunnerComputeType;
  /** How long one job may run before CodeBuild stops it. */
  readonly buildTimeout: Duration;
  readonly logsKeyArn: string;
  readonly logRetention: Duration;
}

/**
 * A CodeBuild project configured as a GitHub Actions runner, in the environment's private subnets
 * with a security group of its own that may reach the cluster's API on 443 (and HTTPS anywhere,
 * through the NAT gateways, for GitHub, registries and AWS APIs). The webhook starts a build for
 * each queued job of the repository whose label names this project.
 * @see https://docs.aws.amazon.com/codebuild/latest/userguide/action-runner.html
 */
export class GitHubActionsRunner extends Construct {
  readonly projectName: string;
  readonly roleArn: string;
  readonly securityGroupId: string;

  constructor(scope: Construct, id: string, props: GitHubActionsRunnerProps) {
    super(scope, id);
    const name = props.projectName;
    const securityGroup = new SecurityGroup(this, "security-group", {
      name,
      description: "CodeBuild-hosted GitHub Actions runner: HTTPS out, nothing in",
      vpcId: props.vpcId,
      tags: { Name: name },
    });
    new VpcSecurityGroupEgressRule(this, "https-out", {
      securityGroupId: securityGroup.id,
      description: "HTTPS to GitHub, package registries, AWS APIs and the cluster's API endpoint",
      ipProtocol: "tcp",
      fromPort: 443,
      toPort: 443,
      cidrIpv4: "0.0.0.0/0",
    });
    new VpcSecurityGroupIngressRule(this, "cluster-api-from-runner", {
      securityGroupId: props.clusterSecurityGroupId,
      description: "The in-VPC CI runner to the Kubernetes API",
      ipProtocol: "tcp",
      fromPort: 443,
      toPort: 443,
      referencedSecurityGroupId: securityGroup.id,
    });

    const logGroup = new CloudwatchLogGroup(this, "log-group", {
      name: `/aws/codebuild/${name}`,
      retentionInDays: props.logRetention.toDays(),
      kmsKeyId: props.logsKeyArn,
    });
    const role = new IamRole(this, "role", {
      name: `${name}-codebuild`,
      description: `CodeBuild service role of the ${name} GitHub Actions runner (logs, network, connection; nothing else)`,
      assumeRolePolicy: toPolicyJson(serviceTrustPolicy("codebuild.amazonaws.com")),
    });
    const policy = new IamRolePolicy(this, "policy", {
      role: role.name,
      name: `${name}-codebuild`,
      policy: toPolicyJson(
        runnerPolicy({
          partition: props.partition,
          region: props.region,
          accountId: props.accountId,
          logGroupArn: logGroup.arn,
          subnetArns: props.subnetIds.map((subnet) => `arn:${props.partition}:ec2:${props.region}:${props.accountId}:subnet/${subnet}`),
          connectionArn: props.connectionArn,
        }),
      ),
    });

    const project = new CodebuildProject(this, "project", {
      name,
      description: `GitHub Actions runner for ${props.repository} inside the VPC, for jobs that need the private Kubernetes API`,
      serviceRole: role.arn,
      buildTimeout: props.buildTimeout.toMinutes(),
      artifacts: { type: "NO_ARTIFACTS" },
      environment: {
        type: "LINUX_CONTAINER",
        computeType: props.computeType ?? "BUILD_GENERAL1_MEDIUM",
        image: RUNNER_IMAGE,
        imagePullCredentialsType: "CODEBUILD",
        privilegedMode: false,
      },
      source: {
        type: "GITHUB",
        location: `https://github.com/${props.repository}.git`,
        gitCloneDepth: 1,
        auth: { type: "CODECONNECTIONS", resource: props.connectionArn },
      },
      vpcConfig: { vpcId: props.vpcId, subnets: [...props.subnetIds], securityGroupIds: [securityGroup.id] },
      logsConfig: { cloudwatchLogs: { status: "ENABLED", groupName: logGroup.name }, s3Logs: { status: "DISABLED" } },
      // CodeBuild checks the role's permissions when the project is created.
      dependsOn: [policy],
    });
    // Created on the repository named by the project's source: only its workflow jobs, queued by
    // one of the listed members, start builds.
    new CodebuildWebhook(this, "webhook", {
      projectName: project.name,
      buildType: "BUILD",
      filterGroup: [{ filter: runnerWebhookFilters(props.actorIds).map((f) => ({ ...f })) }],
    });

    this.projectName = project.name;
    this.roleArn = role.arn;
    this.securityGroupId = securityGroup.id;
  }
}

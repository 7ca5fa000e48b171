import { z } from "zod";
import { RUNNER_COMPUTE_TYPES } from "../constructs/ci/github-actions-runner";
import type { RuleViolation } from "./rules";
import type { ParsedEnvironment } from "./schema";

// The `ci` section: how the pipeline reaches this environment. Jobs that only call AWS or Datadog
// run on GitHub's runners; jobs that talk to the private Kubernetes API run on a CodeBuild-hosted
// GitHub Actions runner inside the environment's VPC.

const iamRoleArn = z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/, "an IAM role ARN such as arn:aws:iam::111111111111:role/airflow-platform-plan");

/** A CodeConnections connection (the service was called CodeStar Connections before 2024). */
export const CONNECTION_ARN_PATTERN = /^arn:aws[a-z-]*:(codeconnections|codestar-connections):([a-z0-9-]+):(\d{12}):connection\/[0-9a-f-]{36}$/;

export const ciSchema = z
  .object({
    /** The GitHub repository whose workflow deploys this environment, `owner/name`. */
    repository: z.string().regex(/^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/, "the GitHub repository as owner/name"),
    /**
     * The CodeConnections connection authorised once, by hand, to the GitHub organisation: how
     * CodeBuild reads the repository and registers its webhook without a token in code.
     */
    connectionArn: z.string().regex(CONNECTION_ARN_PATTERN, "a CodeConnections connection ARN (arn:aws:codeconnections:<region>:<account>:connection/<uuid>)"),
    /** The read-only role diff jobs assume (the account-bootstrap stack creates it); it is given view access to the cluster. */
    planRoleArn: iamRoleArn,
    /**
     * GitHub user ids (numbers: a login can be renamed and then registered by someone else) of the
     * people whose workflow jobs may start this environment's in-VPC runner: the webhook's actor
     * filter. Anyone else's job, a fork's pull request included, never gets a runner inside the VPC.
     * `gh api users/<login> --jq .id` prints one.
     * @see https://docs.aws.amazon.com/codebuild/latest/userguide/github-webhook.html
     */
    runnerActorIds: z.array(z.number().int().positive()).min(1, "at least one GitHub user id: with none, no job could start the runner"),
    runner: z
      .object({
        computeType: z.enum(RUNNER_COMPUTE_TYPES).default("BUILD_GENERAL1_MEDIUM"),
        /** A platform deploy waits up to 15 minutes per Helm release; a job past this is stopped. */
        buildTimeoutMinutes: z.number().int().min(10).max(480).default(90),
      })
      .strict()
      .default({}),
  })
  .strict();

export type CiSettings = z.output<typeof ciSchema>;

/** The connection must live where the runner does; the plan role lives in the environment's account and is not also an admin. */
export function checkCiRules(env: ParsedEnvironment): RuleViolation[] {
  const found: RuleViolation[] = [];
  const match = CONNECTION_ARN_PATTERN.exec(env.ci.connectionArn);
  if (match && (match[2] !== env.account.region || match[3] !== env.account.id)) {
    found.push({
      path: ["ci", "connectionArn"],
      given: env.ci.connectionArn,
      allowed: `a connection in the environment's own account and region (${env.account.id}, ${env.account.region}), where its CodeBuild runner is`,
    });
  }
  const planRoleAccount = /^arn:aws[a-z-]*:iam::(\d{12}):role\//.exec(env.ci.planRoleArn)?.[1];
  if (planRoleAccount !== undefined && planRoleAccount !== env.account.id) {
    found.push({
      path: ["ci", "planRoleArn"],
      given: env.ci.planRoleArn,
      allowed: `a role in the environment's own account (${env.account.id}): the account-bootstrap stack creates it there`,
    });
  }
  if (env.cluster.adminRoleArns.includes(env.ci.planRoleArn)) {
    found.push({
      path: ["ci", "planRoleArn"],
      given: env.ci.planRoleArn,
      allowed: "a role that is not also in cluster.adminRoleArns: the plan role gets read-only cluster access, and EKS allows one access entry per role",
    });
  }
  return found;
}

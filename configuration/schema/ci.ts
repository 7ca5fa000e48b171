import { z } from "zod";
import { RUNNER_COMPUTE_TYPES } from "../../constructs/ci/github-actions-runner";

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
     * CodeBuild reads the repository and registers its webhook without a token in code. Without
     * it no in-VPC GitHub Actions runner is made: the pipeline must then reach the private
     * cluster API some other way (its own runner in the VPC, or cluster.publicEndpointCidrs).
     */
    connectionArn: z.string().regex(CONNECTION_ARN_PATTERN, "a CodeConnections connection ARN (arn:aws:codeconnections:<region>:<account>:connection/<uuid>)").optional(),
    /** The read-only role diff jobs assume (the account-bootstrap stack creates it); given, it gets view access to the cluster. */
    planRoleArn: iamRoleArn.optional(),
    /**
     * GitHub user ids (numbers: a login can be renamed and then registered by someone else) of the
     * people whose workflow jobs may start this environment's in-VPC runner: the webhook's actor
     * filter. Anyone else's job, a fork's pull request included, never gets a runner inside the VPC.
     * Required with `connectionArn` (the runner).
     * `gh api users/<login> --jq .id` prints one.
     * @see https://docs.aws.amazon.com/codebuild/latest/userguide/github-webhook.html
     */
    runnerActorIds: z.array(z.number().int().positive()).min(1, "at least one GitHub user id: with none, no job could start the runner").optional(),
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

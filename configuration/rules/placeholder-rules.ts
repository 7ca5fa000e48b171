import { parseArn } from "../../constructs/iam/arn";
import type { RuleViolation } from "../common/rule-violation";
import type { ParsedEnvironment } from "../schema/environment";

// The shipped environments synthesize and plan with example values (accounts 111111111111…,
// the `example-org` Slack workspace, DAG repository and CI repository, an all-zero CodeConnections
// connection); a team's own Airflow image in an `example` repository is one too. An environment
// derived from one would carry them into a real account silently; in staging and prod that is
// refused, field by field, unless the environment is itself marked as an example. The mark holds
// the environment's own name, so an environment derived from an example under another name is not one.

/** Account ids that are examples: twelve equal digits, and the one AWS's documentation uses. */
export function isExampleAccountId(id: string): boolean {
  return /^(\d)\1{11}$/.test(id) || id === "123456789012";
}

function mentionsExample(text: string): boolean {
  return /example/i.test(text);
}

/** The host a Git URL reaches: `git@github.com:org/repo.git` → `github.com`. */
export function gitHost(repository: string): string | undefined {
  return /^(?:git@([\w.-]+):|ssh:\/\/(?:[\w.-]+@)?([\w.-]+)|https:\/\/([\w.-]+))/.exec(repository)?.slice(1).find((h) => h !== undefined);
}

/** Whether an environment is an example: marked so under its own name. */
export function isExampleEnvironment(env: Pick<ParsedEnvironment, "name" | "example">): boolean {
  return env.example === env.name;
}

export function checkPlaceholders(env: ParsedEnvironment): RuleViolation[] {
  if (env.stage === "dev" || isExampleEnvironment(env)) return [];
  const inherited = env.example === undefined ? "" : ` (example: "${env.example}" was inherited from the environment this one derives from and does not mark "${env.name}")`;
  const found: RuleViolation[] = [];
  const flag = (path: (string | number)[], given: unknown, what: string) =>
    found.push({ path, given, allowed: `${what}: it still carries an example value, refused in ${env.stage}${inherited}` });
  if (isExampleAccountId(env.account.id)) flag(["account", "id"], env.account.id, "your own 12-digit AWS account id");
  if (env.stateBackend.kind === "s3") {
    const bucket = env.stateBackend.bucket;
    if (mentionsExample(bucket) || [...bucket.matchAll(/\d{12}/g)].some((m) => isExampleAccountId(m[0]))) {
      flag(["stateBackend", "bucket"], bucket, "the S3 bucket that holds this environment's Terraform state");
    }
  }
  if (mentionsExample(env.observability.slack.account)) {
    flag(["observability", "slack", "account"], env.observability.slack.account, "your Slack workspace as named in Datadog's Slack integration");
  }
  const git = env.airflow.gitSync;
  if (mentionsExample(git.repository)) flag(["airflow", "gitSync", "repository"], git.repository, "the Git repository that holds your DAGs");
  const host = gitHost(git.repository);
  const ssh = !git.repository.startsWith("https://");
  if (ssh && git.knownHosts && host && !git.knownHosts.split(/\r?\n/).some((line) => line.split(/\s+/)[0].split(",").some((name) => name.replace(/^\[|\](:\d+)?$/g, "") === host))) {
    flag(["airflow", "gitSync", "knownHosts"], git.knownHosts, `known_hosts lines for ${host}, the host of airflow.gitSync.repository`);
  }
  const image = env.airflow.image;
  if (image.source === "prebuilt" && mentionsExample(image.repository)) {
    flag(["airflow", "image", "repository"], image.repository, "the repository of your own Airflow image, or airflow.image { source: \"platform\" } for the one the pipeline builds");
  }
  // The repository matters only to the in-VPC runner's webhook, which the connection makes.
  const { connectionArn, planRoleArn } = env.ci;
  if (connectionArn !== undefined && mentionsExample(env.ci.repository)) flag(["ci", "repository"], env.ci.repository, "this repository's owner/name on GitHub, which the runner's webhook listens to");
  if (connectionArn !== undefined && (/:connection\/0{8}-0{4}-0{4}-0{4}-0{12}$/.test(connectionArn) || isExampleAccountId(accountOf(connectionArn)))) {
    flag(["ci", "connectionArn"], connectionArn, "the ARN of your CodeConnections connection to GitHub (docs/day-one.md)");
  }
  if (planRoleArn !== undefined && isExampleAccountId(accountOf(planRoleArn))) flag(["ci", "planRoleArn"], planRoleArn, "the ARN of your read-only plan role");
  return found;
}

function accountOf(arn: string): string {
  return parseArn(arn)?.account ?? "";
}

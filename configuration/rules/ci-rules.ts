import type { RuleViolation } from "../common/rule-violation";
import { CONNECTION_ARN_PATTERN } from "../schema/ci";
import type { ParsedEnvironment } from "../schema/environment";

// Rules of the `ci` section that relate it to the account and the cluster.

/** The connection must live where the runner does, the runner says who may start it, and the plan role lives in the environment's account and is not also an admin. */
export function checkCiRules(env: ParsedEnvironment): RuleViolation[] {
  const found: RuleViolation[] = [];
  const match = CONNECTION_ARN_PATTERN.exec(env.ci.connectionArn ?? "");
  if (match && env.ci.connectionArn && (match[2] !== env.account.region || match[3] !== env.account.id)) {
    found.push({
      path: ["ci", "connectionArn"],
      given: env.ci.connectionArn,
      allowed: `a connection in the environment's own account and region (${env.account.id}, ${env.account.region}), where its CodeBuild runner is`,
    });
  }
  if (env.ci.connectionArn && env.ci.runnerActorIds === undefined) {
    found.push({
      path: ["ci", "runnerActorIds"],
      given: undefined,
      allowed: "the GitHub user ids (`gh api users/<login> --jq .id`) whose jobs may start the in-VPC runner that ci.connectionArn makes: without them any job of the repository, a fork's included, could",
    });
  }
  const planRoleAccount = env.ci.planRoleArn ? /^arn:aws[a-z-]*:iam::(\d{12}):role\//.exec(env.ci.planRoleArn)?.[1] : undefined;
  if (planRoleAccount !== undefined && planRoleAccount !== env.account.id) {
    found.push({
      path: ["ci", "planRoleArn"],
      given: env.ci.planRoleArn,
      allowed: `a role in the environment's own account (${env.account.id}): the account-bootstrap stack creates it there`,
    });
  }
  if (env.ci.planRoleArn && env.cluster.adminRoleArns.includes(env.ci.planRoleArn)) {
    found.push({
      path: ["ci", "planRoleArn"],
      given: env.ci.planRoleArn,
      allowed: "a role that is not also in cluster.adminRoleArns: the plan role gets read-only cluster access, and EKS allows one access entry per role",
    });
  }
  return found;
}

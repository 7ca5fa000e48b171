import type { RuleViolation } from "../common/rule-violation";
import { CONNECTION_ARN_PATTERN } from "../schema/ci";
import type { ParsedEnvironment } from "../schema/environment";

// Rules of the `ci` section that relate it to the account and the cluster.

/** The connection must live where the runner does, and the plan role must not also be an admin. */
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
  if (env.ci.planRoleArn && env.cluster.adminRoleArns.includes(env.ci.planRoleArn)) {
    found.push({
      path: ["ci", "planRoleArn"],
      given: env.ci.planRoleArn,
      allowed: "a role that is not also in cluster.adminRoleArns: the plan role gets read-only cluster access, and EKS allows one access entry per role",
    });
  }
  return found;
}

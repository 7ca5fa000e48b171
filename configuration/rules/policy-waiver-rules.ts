import { POLICY_RULE_IDS } from "../common/policy-rule-ids";
import type { RuleViolation } from "../common/rule-violation";
import type { ParsedEnvironment } from "../schema/environment";

/** A waiver must name a rule that exists. */
export function checkPolicyWaivers(env: ParsedEnvironment): RuleViolation[] {
  return env.policyWaivers.flatMap((waiver, i) =>
    POLICY_RULE_IDS.includes(waiver.rule)
      ? []
      : [{ path: ["policyWaivers", i, "rule"], given: waiver.rule, allowed: `one of the policy rules: ${POLICY_RULE_IDS.join(", ")}` }],
  );
}

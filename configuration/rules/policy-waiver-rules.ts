import { POLICY_RULE_IDS } from "../common/policy-rule-ids";
import type { RuleViolation } from "../common/rule-violation";
import type { ParsedEnvironment } from "../schema/environment";

/** A checkov check id (`CKV_AWS_338`, `CKV2_AWS_5`, `CKV_K8S_43`): checkov's findings are waived in the same list. */
export const CHECKOV_CHECK_ID = /^CKV2?_[A-Z0-9]+_\d+$/;

/** A waiver must name a rule that exists: one of the project's, or a checkov check. */
export function checkPolicyWaivers(env: ParsedEnvironment): RuleViolation[] {
  return env.policyWaivers.flatMap((waiver, i) =>
    POLICY_RULE_IDS.includes(waiver.rule) || CHECKOV_CHECK_ID.test(waiver.rule)
      ? []
      : [{ path: ["policyWaivers", i, "rule"], given: waiver.rule, allowed: `one of the policy rules (${POLICY_RULE_IDS.join(", ")}) or a checkov check id such as CKV_AWS_338` }],
  );
}

import { z } from "zod";
import { POLICY_RULE_IDS } from "../common/policy-rule-ids";
import type { RuleViolation } from "../rules/environment-rules";
import type { ParsedEnvironment } from "./environment";

/** Exceptions to the policy suite, each with its reason; shown as waived in `npm run policy`. */
export const policyWaiversSchema = z
  .array(
    z
      .object({
        rule: z.string().min(1),
        resource: z.string().min(1).optional(),
        reason: z.string().trim().min(20, "a reason of at least 20 characters: why the rule does not apply here"),
      })
      .strict(),
  )
  .default([]);

/** A waiver must name a rule that exists. */
export function checkPolicyWaivers(env: ParsedEnvironment): RuleViolation[] {
  return env.policyWaivers.flatMap((waiver, i) =>
    POLICY_RULE_IDS.includes(waiver.rule)
      ? []
      : [{ path: ["policyWaivers", i, "rule"], given: waiver.rule, allowed: `one of the policy rules: ${POLICY_RULE_IDS.join(", ")}` }],
  );
}

import { RESOURCE_WIDE_ACTIONS } from "../../constructs/ingress/load-balancer-controller-policy";
import { CHECKOV_WAIVERS } from "./checkov-waivers";
import type { PolicyWaiver } from "./engine";
import { resourceWideFinding } from "./rules/access-rules";

/**
 * The platform's one waiver list: every exception to the project's own rules and to checkov's
 * checks that holds in every environment, each with its reason. An environment file adds its own
 * (`policyWaivers`, e.g. dev's short log retention) for choices only it makes. `npm run policy`
 * prints each as waived, never as pass.
 */
export const PLATFORM_WAIVERS: readonly PolicyWaiver[] = [
  {
    rule: "iam-no-wildcard-actions",
    resource: "load-balancer-controller-role",
    // Only this finding: an action upstream adds later is a failure until it has a reason.
    finding: resourceWideFinding(Object.keys(RESOURCE_WIDE_ACTIONS)),
    reason:
      "the AWS Load Balancer Controller's upstream policy, kept verbatim so an upgrade is a copy; each action it grants on every resource has its reason in constructs/ingress/load-balancer-controller-policy.ts (RESOURCE_WIDE_ACTIONS)",
  },
  ...CHECKOV_WAIVERS,
];

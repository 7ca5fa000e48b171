import { accessRules } from "./rules/access-rules";
import { clusterRules } from "./rules/cluster-rules";
import { dataRules } from "./rules/data-rules";
import { safetyRules } from "./rules/safety-rules";
import type { PolicyContext, PolicyResult, PolicyRule } from "./types";

/** Every rule, in the order the table prints them. */
export const POLICY_RULES: readonly PolicyRule[] = [...clusterRules, ...dataRules, ...accessRules, ...safetyRules];

/** An exception granted in an environment file: which rule, optionally which resource, and why. */
export interface PolicyWaiver {
  readonly rule: string;
  /** A substring of the resource address. @default every resource the rule checks */
  readonly resource?: string;
  /** The exact finding waived; another finding of the same rule still fails. @default any finding */
  readonly finding?: string;
  readonly reason: string;
}

/** Every rule against every resource it applies to; a waived failure is reported as waived. */
export function evaluatePolicies(context: PolicyContext, waivers: readonly PolicyWaiver[], rules: readonly PolicyRule[] = POLICY_RULES): PolicyResult[] {
  const stage = context.environment.stage;
  return rules
    .filter((rule) => !rule.stages || rule.stages.includes(stage))
    .flatMap((rule) =>
      context.resources
        .filter((resource) => rule.types.includes("*") ? resource.type !== "variable" && resource.type !== "output" : rule.types.includes(resource.type))
        .map((resource): PolicyResult => {
          const finding = rule.check(resource, context);
          const base = { rule: rule.id, checkov: rule.checkov ?? "-", resource: `${resource.stack}:${resource.address}` };
          if (finding === undefined) return { ...base, status: "pass", detail: "" };
          const waiver = waivers.find((w) => w.rule === rule.id && (!w.resource || resource.address.includes(w.resource)) && (w.finding === undefined || w.finding === finding));
          return waiver ? { ...base, status: "waived", detail: waiver.reason } : { ...base, status: "fail", detail: finding };
        }),
    );
}

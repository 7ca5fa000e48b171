import type { PolicyRule } from "../types";
import { actions, hasWildcardPrincipal, statements, type Statement } from "./helpers";
import { githubTrustProblem } from "./github-trust";
import { hasScopingCondition, unscopable } from "./iam-scoping";

/** Ports an internet-facing load balancer may open to the world; nothing else may. */
const LOAD_BALANCER_PORTS = [80, 443];

function allowStatements(policy: unknown): Statement[] {
  return statements(policy).filter((s) => s.Effect === "Allow");
}

/** The finding for scopable actions allowed on every resource; waivers may name it exactly. */
export function resourceWideFinding(scopable: readonly string[]): string {
  return `allows ${[...new Set(scopable)].sort().join(", ")} on every resource without a scoping condition`;
}

/**
 * A policy's `*` or `service:*` action, and the scopable actions it allows on every resource with
 * no condition that narrows them (iam-scoping.ts), each once, sorted.
 */
export function resourceWideActions(policy: unknown): { readonly wildcard?: string; readonly scopable: string[] } {
  const scopable = new Set<string>();
  for (const s of allowStatements(policy)) {
    const wildcard = actions(s).find((a) => a === "*" || a.endsWith(":*"));
    if (wildcard) return { wildcard, scopable: [] };
    if (![s.Resource ?? []].flat().includes("*") || hasScopingCondition(s)) continue;
    for (const action of actions(s).filter((a) => !unscopable(a))) scopable.add(action);
  }
  return { scopable: [...scopable].sort() };
}

export const accessRules: PolicyRule[] = [
  {
    id: "security-group-described",
    checkov: "CKV_AWS_23",
    rationale: "Every security group and rule says what it is for.",
    types: ["aws_security_group", "aws_vpc_security_group_ingress_rule"],
    check: (r) => (typeof r.values.description === "string" && r.values.description.trim().length > 0 ? undefined : "no description"),
  },
  {
    id: "no-world-ingress",
    checkov: "CKV_AWS_24/CKV_AWS_25/CKV_AWS_260/CKV_AWS_277",
    rationale: "Nothing but load-balancer ports is open to 0.0.0.0/0.",
    types: ["aws_vpc_security_group_ingress_rule", "aws_security_group_rule"],
    check: (r) => {
      const world = r.values.cidr_ipv4 === "0.0.0.0/0" || (Array.isArray(r.values.cidr_blocks) && r.values.cidr_blocks.includes("0.0.0.0/0"));
      if (!world) return undefined;
      const from = Number(r.values.from_port);
      const to = Number(r.values.to_port);
      return from === to && LOAD_BALANCER_PORTS.includes(from) ? undefined : `ports ${from}-${to} open to 0.0.0.0/0`;
    },
  },
  {
    id: "iam-no-wildcard-actions",
    checkov: "CKV_AWS_62/CKV_AWS_63/CKV_AWS_355",
    rationale: "No policy grants `*` or `service:*`, and `Resource: *` only for calls AWS cannot scope.",
    types: ["aws_iam_role_policy", "aws_iam_policy"],
    check: (r) => {
      const found = resourceWideActions(r.config.policy);
      return found.wildcard ? `allows ${found.wildcard}` : found.scopable.length > 0 ? resourceWideFinding(found.scopable) : undefined;
    },
  },
  {
    id: "iam-trust-scoped",
    checkov: "CKV_AWS_60",
    rationale: "Trust policies name one service, one Kubernetes service account through the cluster's OIDC issuer, or one repository's GitHub environment.",
    types: ["aws_iam_role"],
    check: (r) => {
      for (const s of allowStatements(r.config.assume_role_policy)) {
        if (hasWildcardPrincipal(s)) return "trusts any principal";
        const federated = typeof s.Principal === "object" && s.Principal !== null && "Federated" in s.Principal;
        if (!federated) continue;
        const github = githubTrustProblem(s);
        if (github !== null) {
          if (github) return github;
          continue;
        }
        const equals = s.Condition?.StringEquals ?? {};
        const subjects = Object.entries(equals).filter(([key]) => key.endsWith(":sub")).map(([, v]) => v);
        const audience = Object.entries(equals).some(([key, v]) => key.endsWith(":aud") && v === "sts.amazonaws.com");
        if (subjects.length !== 1 || typeof subjects[0] !== "string" || !/^system:serviceaccount:[^:*]+:[^:*]+$/.test(subjects[0])) {
          return "federated trust is not bound to exactly one namespace:serviceaccount";
        }
        if (!audience) return "federated trust does not require the sts.amazonaws.com audience";
      }
      return undefined;
    },
  },
  {
    id: "kms-no-wildcard-principal",
    checkov: "CKV_AWS_33",
    rationale: "Key policies never allow every principal.",
    types: ["aws_kms_key"],
    check: (r) => (allowStatements(r.config.policy).some((s) => hasWildcardPrincipal(s) && !s.Condition) ? "allows any principal" : undefined),
  },
];

import { GITHUB_OIDC_AUDIENCE, GITHUB_OIDC_ISSUER } from "../../../configuration/derived/pipeline-identities";
import type { Statement } from "./helpers";

/**
 * A GitHub Actions subject as the repository's OIDC customisation writes it: one repository, one
 * GitHub environment, and a ref that is either exact or, for plan roles below prod, any.
 */
const GITHUB_SUBJECT = /^repo:[\w.-]+\/[\w.-]+:environment:[\w.-]+:ref:(refs\/heads\/[\w./-]+|\*)$/;

/**
 * For a statement trusting GitHub's OIDC issuer: undefined when each subject names one
 * repository's one environment (several environments may share a plan role) with the sts
 * audience, else what is wrong. null when the statement does not trust
 * GitHub (other rules judge it).
 */
export function githubTrustProblem(statement: Statement): string | undefined | null {
  const conditions = statement.Condition ?? {};
  const keys = Object.values(conditions).flatMap((c) => Object.keys(c));
  if (!keys.some((k) => k.startsWith(`${GITHUB_OIDC_ISSUER}:`))) return null;
  const subjectKey = `${GITHUB_OIDC_ISSUER}:sub`;
  const exact = conditions.StringEquals?.[subjectKey];
  const pattern = conditions.StringLike?.[subjectKey];
  const given = [exact, pattern].filter((v) => v !== undefined);
  const subjects = given.length === 1 ? [given[0]].flat() : [];
  if (subjects.length === 0 || !subjects.every((s) => typeof s === "string" && GITHUB_SUBJECT.test(s))) {
    return "GitHub trust is not bound to repository:environment:ref subjects, each naming one repository and one environment";
  }
  if (pattern !== undefined && !subjects.every((s) => !String(s).includes("*") || String(s).endsWith(":ref:*"))) return "GitHub trust uses a pattern anywhere but the ref";
  if (conditions.StringEquals?.[`${GITHUB_OIDC_ISSUER}:aud`] !== GITHUB_OIDC_AUDIENCE) return `GitHub trust does not require the ${GITHUB_OIDC_AUDIENCE} audience`;
  return undefined;
}

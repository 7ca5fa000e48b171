import type { RuleViolation } from "./rules";
import type { ParsedEnvironment } from "./schema";

/** Rules on who is alerted: dev never pages, and each critical DAG is listed once. */
export function checkObservabilityRules(env: ParsedEnvironment): RuleViolation[] {
  const { observability } = env;
  const found: RuleViolation[] = [];
  if (env.stage === "dev" && observability.pageHandle) {
    found.push({ path: ["observability", "pageHandle"], given: observability.pageHandle, allowed: "no paging in dev: alerts go to Slack only" });
  }
  const dagIds = observability.criticalDags.map((d) => d.dagId);
  if (new Set(dagIds).size !== dagIds.length) {
    found.push({ path: ["observability", "criticalDags"], given: dagIds, allowed: "each DAG id once" });
  }
  return found;
}

import type { PolicyResult } from "./types";

/**
 * The table `npm run policy` prints: one row per rule whose resources all pass (with how many),
 * and one row per failing or waived resource, so a failure is never lost in a sea of passes.
 */
export function policyTable(environment: string, results: readonly PolicyResult[]): string {
  const rows: [string, string, string, string][] = [];
  const rules = [...new Set(results.map((r) => r.rule))];
  for (const rule of rules) {
    const ofRule = results.filter((r) => r.rule === rule);
    const passed = ofRule.filter((r) => r.status === "pass");
    if (passed.length > 0) rows.push([rule, ofRule[0].checkov, `${passed.length} resource${passed.length === 1 ? "" : "s"}`, "pass"]);
    for (const r of ofRule.filter((x) => x.status !== "pass")) {
      rows.push([rule, r.checkov, r.resource, r.status === "fail" ? `FAIL: ${r.detail}` : `waived: ${r.detail}`]);
    }
  }
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((row) => row[i].length), 8));
  const failed = results.filter((r) => r.status === "fail").length;
  const waived = results.filter((r) => r.status === "waived").length;
  const lines = [
    `Policy: ${environment} — ${results.length} checks, ${failed} failed, ${waived} waived`,
    `  ${"rule".padEnd(widths[0])}  ${"checkov".padEnd(widths[1])}  ${"resource".padEnd(widths[2])}  result`,
    ...rows.map(([rule, checkov, resource, result]) => `  ${rule.padEnd(widths[0])}  ${checkov.padEnd(widths[1])}  ${resource.padEnd(widths[2])}  ${result}`),
  ];
  return `${lines.join("\n")}\n`;
}

import type { PolicyWaiver } from "../engine";
import type { CheckovResult } from "./run-checkov";

/** One artefact checkov read: a stack (its plan or synthesized JSON) or a rendered Helm release. */
export interface CheckovArtefact {
  /** `prod-infrastructure`, `bootstrap-333333333333`, `airflow`, `datadog`. */
  readonly name: string;
  readonly kind: "stack" | "release";
  /** Its file or folder under the scanned directory. */
  readonly path: string;
}

export interface CheckovFailure {
  readonly checkId: string;
  readonly checkName: string;
  /** `<artefact>:<checkov resource>`, what a waiver's `resource` is matched against. */
  readonly resource: string;
  /** The waiver that covers it, when waived. */
  readonly waived?: PolicyWaiver;
}

export interface CheckovCount {
  readonly artefact: CheckovArtefact;
  readonly passed: number;
  readonly failed: number;
  readonly waived: number;
  readonly failures: readonly CheckovFailure[];
}

/** The waiver that covers a failed check: its id is the waiver's rule, its resource contains the waiver's. */
export function checkovWaiver(waivers: readonly PolicyWaiver[], checkId: string, resource: string): PolicyWaiver | undefined {
  return waivers.find((w) => w.rule === checkId && (!w.resource || resource.includes(w.resource)));
}

/** checkov's results per artefact, each failure waived or not, counted. */
export function countCheckov(artefacts: readonly CheckovArtefact[], results: readonly CheckovResult[], waivers: readonly PolicyWaiver[]): CheckovCount[] {
  return artefacts.map((artefact) => {
    const mine = results.filter((r) => r.file === artefact.path || r.file.startsWith(`${artefact.path}/`));
    const failures = mine
      .filter((r) => !r.passed)
      .map((r): CheckovFailure => {
        const resource = `${artefact.name}:${r.resource}`;
        const waiver = checkovWaiver(waivers, r.checkId, resource);
        return { checkId: r.checkId, checkName: r.checkName, resource, ...(waiver ? { waived: waiver } : {}) };
      });
    const waived = failures.filter((f) => f.waived !== undefined).length;
    return { artefact, passed: mine.length - failures.length, failed: failures.length - waived, waived, failures };
  });
}

/** The table `npm run policy` prints under each environment's own rules: counts, then each unwaived failure. */
export function checkovTable(environment: string, counts: readonly CheckovCount[]): string {
  const width = Math.max(...counts.map((c) => `${c.artefact.kind} ${c.artefact.name}`.length), 8);
  const lines = [
    `checkov: ${environment} — ${counts.reduce((n, c) => n + c.failed, 0)} unwaived failure(s)`,
    `  ${"artefact".padEnd(width)}  passed  failed  waived`,
    ...counts.map((c) => `  ${`${c.artefact.kind} ${c.artefact.name}`.padEnd(width)}  ${String(c.passed).padStart(6)}  ${String(c.failed).padStart(6)}  ${String(c.waived).padStart(6)}`),
    ...counts.flatMap((c) => c.failures.filter((f) => f.waived === undefined).map((f) => `  FAIL ${f.checkId} ${f.resource}: ${f.checkName}`)),
  ];
  return `${lines.join("\n")}\n`;
}

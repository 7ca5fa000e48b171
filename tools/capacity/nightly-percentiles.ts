import type { DagExport, RunsExport } from "./airflow-export";
import { buildWorkload, type WorkloadOptions } from "./workload";
import type { EnvironmentConfig } from "../../configuration/schema/environment-config";
import { formatTable } from "./capacity-report";
import { replayPlatform, type NightlyAssumptions } from "./nightly-replay";
import { finishLine, hoursMinutes } from "./nightly-report-format";

// Several nights, each replayed as it was recorded rather than folded into one composite night:
// how often the platform would miss the deadline, and the finish a team can plan on (P50, P95).

/** The nearest-rank percentile of sorted values (P95 of three nights is the latest of them). */
export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export interface NightOutcome {
  readonly runId: string;
  readonly finishSeconds: number | undefined;
  readonly late: boolean;
  readonly billedNodeHours: number;
  readonly floorNodeHours: number;
}

export function replayNights(config: EnvironmentConfig, dag: DagExport, runs: readonly RunsExport[], options: WorkloadOptions, assumptions: NightlyAssumptions): NightOutcome[] {
  const runIds = [...new Set(runs.flatMap((r) => r.instances.map((ti) => ti.runId)))];
  return runIds.map((runId) => {
    const own = runs.map((r) => ({ ...r, instances: r.instances.filter((ti) => ti.runId === runId) })).filter((r) => r.instances.length > 0);
    const workload = buildWorkload(dag, own, options);
    const { result, pools } = replayPlatform(config, workload, assumptions);
    const finish = result.finishSeconds;
    const late = finish === undefined || (assumptions.deadlineHours !== undefined && finish > assumptions.deadlineHours * 3600);
    return {
      runId,
      finishSeconds: finish,
      late,
      billedNodeHours: pools.reduce((n, p) => n + p.utilisation.billedNodeHours, 0),
      floorNodeHours: pools.reduce((n, p) => n + p.utilisation.floorNodeHours, 0),
    };
  });
}

export function formatNights(config: EnvironmentConfig, dag: DagExport, runs: readonly RunsExport[], options: WorkloadOptions, assumptions: NightlyAssumptions): string {
  const nights = replayNights(config, dag, runs, options, assumptions);
  if (nights.length < 2) return "";
  const finishes = nights.map((n) => n.finishSeconds ?? Infinity).sort((a, b) => a - b);
  const late = nights.filter((n) => n.late).length;
  const show = (s: number) => (Number.isFinite(s) ? hoursMinutes(s) : "never");
  const lines = [
    `\n  across ${nights.length} nights, each replayed as recorded: deadline missed ${late} of ${nights.length} (${Math.round((100 * late) / nights.length)} %); finish P50 ${show(percentile(finishes, 50))}, P95 ${show(percentile(finishes, 95))}${nights.length < 20 ? ` (P95 of ${nights.length} nights is their latest: export more nights for a sharper figure)` : ""}\n`,
  ];
  const rows = [["run", "finishes", "billed node-h", "work floor node-h"]];
  for (const night of nights) {
    rows.push([night.runId, finishLine({ finishSeconds: night.finishSeconds, stuck: [] }, assumptions.deadlineHours), night.billedNodeHours.toFixed(1), night.floorNodeHours.toFixed(1)]);
  }
  lines.push(formatTable(rows, "    "));
  return lines.join("");
}

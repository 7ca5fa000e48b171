import { HOURS_PER_MONTH } from "./prices";
import type { Assumption } from "./capacity-arguments";
import { formatTable } from "./capacity-report";
import type { NightlyReport, Side } from "./nightly-replay";

// The replay as the capacity command prints it: where the data came from, every assumption with
// its flag, the critical path, then the platform and the one machine side by side.

/** `4h05` */
export function hoursMinutes(seconds: number): string {
  const minutes = Math.round(seconds / 60);
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, "0")}`;
}

const usd = (value: number | undefined) => (value === undefined ? "no price (--price)" : `$${value.toFixed(2)}`);

function finishLine(side: Side, deadlineHours: number | undefined): string {
  const finish = side.result.finishSeconds;
  if (finish === undefined) return `never: ${side.result.stuck.map((s) => `${s.unitId} fits no node of ${s.pool}`).join("; ") || "no progress"}`;
  if (deadlineHours === undefined) return hoursMinutes(finish);
  const spare = deadlineHours * 3600 - finish;
  return `${hoursMinutes(finish)} (deadline ${hoursMinutes(deadlineHours * 3600)}: ${spare >= 0 ? `${hoursMinutes(spare)} to spare` : `${hoursMinutes(-spare)} LATE`})`;
}

function costLine(side: Side, extra?: number): string {
  const parts = side.pools.map((p) => (p.usdPerHour === undefined ? `${p.pool} no price` : `${p.pool} $${(p.nodeHoursPerDay * p.usdPerHour).toFixed(2)}`));
  if (extra !== undefined) parts.push(`system $${extra.toFixed(2)}`);
  return `${usd(side.costPerRun)}${parts.length > 1 ? ` (${parts.join(" + ")})` : ""}`;
}

export function formatNightlyReport(report: NightlyReport, assumptions: readonly Assumption[], source: string): string {
  const { workload, platform, machine } = report;
  const instances = workload.tasks.reduce((n, t) => n + t.units.length, 0);
  const lines: string[] = [];
  lines.push(`Nightly run of ${workload.dagId}: ${workload.tasks.length} tasks, ${instances} task instances, from ${workload.runIds.length} run${workload.runIds.length === 1 ? "" : "s"} (${workload.runIds.join(", ")})\n`);
  lines.push(`  data: ${source}\n`);
  for (const note of workload.notes) lines.push(`  note: ${note}\n`);
  lines.push("  assumptions (each changed by its flag):\n");
  lines.push(formatTable(assumptions.map((a) => [a.flag, a.value, a.meaning]), "    "));
  const path = report.criticalPath;
  lines.push(`  critical path: ${hoursMinutes(path.seconds)}, no node count finishes sooner: ${path.chain.filter((c) => c.seconds > 0).map((c) => `${c.taskId} ${hoursMinutes(c.seconds)}`).join(" → ")}\n\n`);
  const machineLabel = `one always-on ${machine.instanceType}${machine.sizedForPeak ? " (sized for the peak)" : ""}`;
  const rows: string[][] = [
    ["", "task pools from the environment", machineLabel],
    ["finishes", finishLine(platform, report.deadlineHours), finishLine(machine, report.deadlineHours)],
    ["peak nodes", platform.pools.map((p) => `${p.pool} ${p.peakNodes}`).join(", "), "1"],
    ["node-hours per run (a day)", platform.pools.map((p) => `${p.pool} ${p.nodeHoursPerDay.toFixed(1)}`).join(", "), "24.0"],
    ["peak requests", `${(platform.result.peakRequests.cpuMillicores / 1000).toFixed(1)} vCPU, ${(platform.result.peakRequests.memoryMiB / 1024).toFixed(1)} GiB`, `${(machine.result.peakRequests.cpuMillicores / 1000).toFixed(1)} vCPU, ${(machine.result.peakRequests.memoryMiB / 1024).toFixed(1)} GiB`],
    ["task-hours waiting for a slot / a node", `${(platform.result.waitedForSlotsSeconds / 3600).toFixed(1)} / ${(platform.result.waitedForNodesSeconds / 3600).toFixed(1)}`, `${(machine.result.waitedForSlotsSeconds / 3600).toFixed(1)} / ${(machine.result.waitedForNodesSeconds / 3600).toFixed(1)}`],
    ["on-demand cost per run", costLine(platform, platform.systemCostPerDay), costLine(machine)],
    [`per month (${HOURS_PER_MONTH} h, a run a day)`, usd(platform.costPerMonth), usd(machine.costPerMonth)],
  ];
  lines.push(formatTable(rows));
  for (const [label, side] of [["task pools", platform], [machineLabel, machine]] as const) {
    const late = side.result.queuedPastTimeout;
    if (late.length > 0) {
      lines.push(`  warning (${label}): ${late.length} task instance${late.length === 1 ? " was" : "s were"} queued longer than [scheduler] task_queued_timeout (longest ${hoursMinutes(side.result.longestQueuedSeconds)}): Airflow revokes and requeues such a task and fails it the third time; e.g. ${late.slice(0, 3).join(", ")}\n`);
    }
  }
  lines.push("  not priced: the EKS control plane, the database, NAT gateways, EFS and data transfer (no prices in data/); the system group is, at its minimum all day\n");
  return lines.join("");
}

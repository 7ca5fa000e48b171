import { PLATFORM_PRICES_DATE } from "./platform-prices";
import type { ReplayResult } from "./replay";
import type { Assumption } from "./capacity-arguments";
import { formatTable } from "./capacity-report";
import { NIGHTS_PER_MONTH, type NightlyReport } from "./nightly-replay";

// The replay as the capacity command prints it: where the data came from, every assumption with
// its flag, the critical path, the platform and the always-on machine side by side, each pool's
// requested work against its billed node-hours, the fixed costs line by line, and the ratio.

/** `4h05` */
export function hoursMinutes(seconds: number): string {
  const minutes = Math.round(seconds / 60);
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, "0")}`;
}

export const usd = (value: number | undefined) => (value === undefined ? "no price (--price / --fixed-price)" : `$${value.toFixed(2)}`);
const percent = (share: number) => `${Math.round(share * 100)} %`;

export function finishLine(result: Pick<ReplayResult, "finishSeconds" | "stuck">, deadlineHours: number | undefined): string {
  const finish = result.finishSeconds;
  if (finish === undefined) return `never: ${result.stuck.map((s) => `${s.unitId} fits no node of ${s.pool}`).join("; ") || "no progress"}`;
  if (deadlineHours === undefined) return hoursMinutes(finish);
  const spare = deadlineHours * 3600 - finish;
  return `${hoursMinutes(finish)} (deadline ${hoursMinutes(deadlineHours * 3600)}: ${spare >= 0 ? `${hoursMinutes(spare)} to spare` : `${hoursMinutes(-spare)} LATE`})`;
}

function waits(result: ReplayResult): string {
  return `${(result.waitedForSlotsSeconds / 3600).toFixed(1)} / ${(result.waitedForNodesSeconds / 3600).toFixed(1)}`;
}

export function formatNightlyReport(report: NightlyReport, assumptions: readonly Assumption[], source: string): string {
  const { workload, platform, baseline } = report;
  const instances = workload.tasks.reduce((n, t) => n + t.units.length, 0);
  const lines: string[] = [];
  lines.push(`Nightly run of ${workload.dagId}: ${workload.tasks.length} tasks, ${instances} task instances, from ${workload.runIds.length} run${workload.runIds.length === 1 ? "" : "s"} (${workload.runIds.join(", ")})\n`);
  lines.push(`  data: ${source}\n`);
  for (const note of workload.notes) lines.push(`  note: ${note}\n`);
  lines.push("  assumptions (each changed by its flag):\n");
  lines.push(formatTable(assumptions.map((a) => [a.flag, a.value, a.meaning]), "    "));
  const path = report.criticalPath;
  lines.push(`  critical path: ${hoursMinutes(path.seconds)}, no node count finishes sooner: ${path.chain.filter((c) => c.seconds > 0).map((c) => `${c.taskId} ${hoursMinutes(c.seconds)}`).join(" → ")}\n\n`);
  const machineLabel = `always-on ${baseline.instanceType}`;
  lines.push(formatTable([
    ["", "task pools from the environment", machineLabel],
    ["finishes", finishLine(platform.result, report.deadlineHours), finishLine(baseline.result, report.deadlineHours)],
    ["peak nodes", platform.pools.map((p) => `${p.pool} ${p.peakNodes}`).join(", "), "1"],
    ["peak requests", `${(platform.result.peakRequests.cpuMillicores / 1000).toFixed(1)} vCPU, ${(platform.result.peakRequests.memoryMiB / 1024).toFixed(1)} GiB`, `${(baseline.result.peakRequests.cpuMillicores / 1000).toFixed(1)} vCPU, ${(baseline.result.peakRequests.memoryMiB / 1024).toFixed(1)} GiB`],
    ["task-hours waiting for a slot / a node", waits(platform.result), waits(baseline.result)],
  ]));
  lines.push(`  baseline: ${baseline.instanceType}, ${baseline.how}\n\n`);

  lines.push("  per pool: requested work against billed node-hours (the run's window)\n");
  const poolRows: string[][] = [["pool", "instance", "capacity", "requested vCPU-h", "requested GiB-h", "work floor node-h", "billed node-h", "utilisation", "per night"]];
  for (const p of platform.pools) {
    const u = p.utilisation;
    poolRows.push([p.pool, p.instanceType, p.capacityType === "SPOT" ? "SPOT (spot estimate)" : "ON_DEMAND", u.requestedVcpuHours.toFixed(1), u.requestedGibHours.toFixed(1), u.floorNodeHours.toFixed(1), u.billedNodeHours.toFixed(1), `${percent(u.utilisation)} (billed ${(u.billedNodeHours / Math.max(u.floorNodeHours, 1e-9)).toFixed(2)}× the floor)`, usd(p.usdPerHour === undefined ? undefined : p.usdPerHour * p.nodeHoursPerDay)]);
  }
  const floor = platform.pools.reduce((n, p) => n + p.utilisation.floorNodeHours, 0);
  const billed = platform.pools.reduce((n, p) => n + p.utilisation.billedNodeHours, 0);
  if (platform.pools.length > 1) poolRows.push(["all", "", "", "", "", floor.toFixed(1), billed.toFixed(1), `${percent(billed > 0 ? floor / billed : 0)} (billed ${(billed / Math.max(floor, 1e-9)).toFixed(2)}× the floor)`, ""]);
  lines.push(formatTable(poolRows, "    "));

  lines.push(`  platform fixed costs, per month (a night is 1/${NIGHTS_PER_MONTH.toFixed(1)}; data/aws-prices, put together ${PLATFORM_PRICES_DATE}):\n`);
  lines.push(formatTable(platform.fixed.map((f) => [f.item, f.quantity, usd(f.usdPerMonth), f.basis, f.source]), "    "));
  const tasksNight = platform.pools.reduce<number | undefined>((sum, p) => (sum === undefined || p.usdPerHour === undefined ? undefined : sum + p.usdPerHour * p.nodeHoursPerDay), 0);
  const fixedNight = platform.fixedPerMonth === undefined ? undefined : platform.fixedPerMonth / NIGHTS_PER_MONTH;
  const ratio = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined || b === 0 ? "no ratio (a price is missing)" : `${(a / b).toFixed(2)}×`);
  lines.push("\n");
  lines.push(formatTable([
    ["", "per night", "per month"],
    [`platform: task pools ${usd(tasksNight)} + system nodes ${usd(platform.systemPerNight)} + fixed ${usd(fixedNight)}`, usd(platform.costPerNight), usd(platform.costPerMonth)],
    [`baseline: ${baseline.instanceType} on-demand ${usd(baseline.usdPerHour === undefined ? undefined : baseline.usdPerHour * 24)} + Datadog 1 host ${usd(baseline.datadogPerMonth === undefined ? undefined : baseline.datadogPerMonth / NIGHTS_PER_MONTH)}`, usd(baseline.costPerNight), usd(baseline.costPerMonth)],
    [`baseline with a 1-year Savings Plan: ${baseline.savingsPlanFraction} of on-demand (an assumption, --savings-plan-fraction)`, usd(baseline.savingsPlanPerNight), usd(baseline.savingsPlanPerNight === undefined ? undefined : baseline.savingsPlanPerNight * NIGHTS_PER_MONTH)],
    ["ratio platform ÷ baseline", ratio(platform.costPerNight, baseline.costPerNight), `${ratio(platform.costPerNight, baseline.savingsPlanPerNight)} against the Savings Plan`],
  ]));
  for (const [label, result] of [["task pools", platform.result], [machineLabel, baseline.result]] as const) {
    const late = result.queuedPastTimeout;
    if (late.length > 0) {
      lines.push(`  warning (${label}): ${late.length} task instance${late.length === 1 ? " was" : "s were"} queued longer than [scheduler] task_queued_timeout (longest ${hoursMinutes(result.longestQueuedSeconds)}): Airflow revokes and requeues such a task and fails it the third time; e.g. ${late.slice(0, 3).join(", ")}\n`);
    }
  }
  lines.push("  not priced: data transfer and NAT data processing (traffic-dependent), EBS root volumes, CloudWatch logs, backups beyond the free retention\n");
  return lines.join("");
}

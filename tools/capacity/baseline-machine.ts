import type { Ec2InstanceType } from "../../sizing/instance-data";
import { hourlyPrice, type PriceSource } from "./prices";
import { replay, type ReplayResult, type ReplaySettings } from "./replay";
import type { Workload } from "./workload";

// The machine the platform is compared with: the team's own when named, else the cheapest
// always-on machine (no burstable type: a night of full CPU would spend a t-type's credits and
// throttle it) that runs the same export in time. It depends on the work and the deadline only,
// never on the platform's pools or what-ifs.

export interface MachineReserve {
  readonly cpuMillicores: number;
  readonly memoryMiB: number;
}

/** The night replayed on one machine: every task on it, its room the machine less the reserve. */
export function replayOnMachine(workload: Workload, instance: Ec2InstanceType, reserve: MachineReserve, settings: ReplaySettings): ReplayResult {
  const onOneMachine: Workload = { ...workload, tasks: workload.tasks.map((t) => ({ ...t, units: t.units.map((u) => ({ ...u, pool: "machine" })) })) };
  const room = { cpuMillicores: instance.vcpu * 1000 - reserve.cpuMillicores, memoryMiB: instance.memoryMiB - reserve.memoryMiB, pods: 1000 };
  // A single machine's executor holds tasks as "scheduled" until it has a slot, so they never sit
  // queued long enough for task_queued_timeout: only the pods of the platform can.
  return replay(onOneMachine, [{ name: "machine", room, minNodes: 1, maxNodes: 1 }], { ...settings, taskQueuedTimeoutSeconds: Infinity });
}

/** Burstable types (t2, t3, t3a, t4g): CPU credits, not a full core all night. */
export const isBurstable = (type: string) => /^t\d/.test(type);

export interface BaselineChoice {
  readonly instance: Ec2InstanceType;
  readonly result: ReplayResult;
  readonly usdPerHour: number | undefined;
  /** How it was chosen, for the report. */
  readonly how: string;
}

/**
 * The cheapest non-burstable machine of the architecture, with a price, that holds the largest
 * task and whose replay finishes by the deadline (within a day when there is none).
 */
export function smallestMachineInTime(
  workload: Workload,
  known: ReadonlyMap<string, Ec2InstanceType>,
  prices: PriceSource,
  reserve: MachineReserve,
  settings: ReplaySettings,
  deadlineSeconds: number | undefined,
  architecture: Ec2InstanceType["architecture"] | undefined,
): BaselineChoice | undefined {
  const units = workload.tasks.flatMap((t) => t.units);
  const needCpu = Math.max(0, ...units.map((u) => u.requests.cpuMillicores));
  const needMemory = Math.max(0, ...units.map((u) => u.requests.memoryMiB));
  const limit = deadlineSeconds ?? 86400;
  const candidates = [...known.values()]
    .filter((t) => !isBurstable(t.type) && (architecture === undefined || t.architecture === architecture))
    .filter((t) => t.vcpu * 1000 - reserve.cpuMillicores >= needCpu && t.memoryMiB - reserve.memoryMiB >= needMemory)
    .map((t) => ({ instance: t, usd: hourlyPrice(prices, t.type) }))
    .filter((c): c is { instance: Ec2InstanceType; usd: number } => c.usd !== undefined)
    .sort((a, b) => a.usd - b.usd || a.instance.type.localeCompare(b.instance.type));
  // A machine with no more vCPU and memory than one that was too slow is too slow as well, and
  // types of one shape replay alike: each candidate either is dominated, or is replayed once.
  const failed: Ec2InstanceType[] = [];
  let fastest: BaselineChoice | undefined;
  let tried = 0;
  for (const candidate of candidates) {
    const t = candidate.instance;
    if (failed.some((f) => f.vcpu >= t.vcpu && f.memoryMiB >= t.memoryMiB)) continue;
    tried += 1;
    const result = replayOnMachine(workload, t, reserve, settings);
    if (result.finishSeconds !== undefined && result.finishSeconds <= limit) {
      const why = deadlineSeconds === undefined ? "within a day (no deadline)" : "by the deadline";
      return { instance: t, result, usdPerHour: candidate.usd, how: `the cheapest always-on, non-burstable ${architecture ?? ""} machine that finishes this export ${why} (${tried} replayed, cheapest first)`.replace("  ", " ") };
    }
    failed.push(t);
    if (result.finishSeconds !== undefined && (fastest?.result.finishSeconds === undefined || result.finishSeconds < fastest.result.finishSeconds)) {
      fastest = { instance: t, result, usdPerHour: candidate.usd, how: `no always-on machine finishes this export ${deadlineSeconds === undefined ? "within a day" : "by the deadline"}: the fastest of ${tried} replayed` };
    }
  }
  return fastest ? { ...fastest, how: fastest.how.replace(/of \d+ replayed/, `of ${tried} replayed`) } : undefined;
}

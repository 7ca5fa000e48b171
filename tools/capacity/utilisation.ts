import type { TaskRoom } from "../../sizing/pool-fit";
import type { Workload, WorkUnit } from "./workload";

// How much of what a pool's nodes bill its tasks asked for: requested vCPU-hours and GiB-hours
// (every try, from its pod's binding to its end), the work floor (node-hours a perfect packer
// would need: each pod's larger share of a node's task room, CPU or memory, times its hours) and
// the node-hours the replay billed. Utilisation is floor ÷ billed.

export interface PoolUtilisation {
  readonly pool: string;
  readonly requestedVcpuHours: number;
  readonly requestedGibHours: number;
  /** Node-hours if every node were full of the resource its pods use most of. */
  readonly floorNodeHours: number;
  readonly billedNodeHours: number;
  /** Billed node-hours × the instance type's vCPU. */
  readonly billedVcpuHours: number;
  /** floor ÷ billed (0 when nothing was billed). */
  readonly utilisation: number;
}

/** Seconds a unit's pods hold their requests: every try plus each pod's start. */
export function podSeconds(unit: WorkUnit, podStartSeconds: number): number {
  const tries = [...(unit.failedTries ?? []).map((f) => f.durationSeconds), unit.durationSeconds];
  return tries.reduce((sum, seconds) => sum + seconds + podStartSeconds, 0);
}

export function poolUtilisation(workload: Workload, pool: { readonly name: string; readonly room: TaskRoom; readonly vcpu: number }, billedNodeSeconds: number, podStartSeconds: number): PoolUtilisation {
  let cpu = 0;
  let memory = 0;
  let floor = 0;
  for (const unit of workload.tasks.flatMap((t) => t.units)) {
    if (unit.pool !== pool.name) continue;
    const hours = podSeconds(unit, podStartSeconds) / 3600;
    cpu += (hours * unit.requests.cpuMillicores) / 1000;
    memory += (hours * unit.requests.memoryMiB) / 1024;
    floor += hours * Math.max(unit.requests.cpuMillicores / pool.room.cpuMillicores, unit.requests.memoryMiB / pool.room.memoryMiB, 1 / pool.room.pods);
  }
  const billed = billedNodeSeconds / 3600;
  return {
    pool: pool.name,
    requestedVcpuHours: cpu,
    requestedGibHours: memory,
    floorNodeHours: floor,
    billedNodeHours: billed,
    billedVcpuHours: billed * pool.vcpu,
    utilisation: billed > 0 ? floor / billed : 0,
  };
}

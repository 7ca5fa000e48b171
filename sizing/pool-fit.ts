import type { Ec2InstanceType } from "./instance-data";
import { DAEMONSET_OVERHEAD, reservedCpuMillicores, reservedMemoryMiB, type PodRequests } from "./node-capacity";

/**
 * What one node of a pool has for tasks: allocatable (capacity less the kubelet's reservations
 * and eviction threshold) less what every node's daemonsets request. The largest single task the
 * pool can run is exactly this.
 */
export interface TaskRoom {
  readonly cpuMillicores: number;
  readonly memoryMiB: number;
  readonly pods: number;
}

/** A node's room for tasks, on one instance type. */
export function taskRoomOn(instance: Ec2InstanceType): TaskRoom {
  return {
    cpuMillicores: instance.vcpu * 1000 - reservedCpuMillicores(instance.vcpu) - DAEMONSET_OVERHEAD.cpuMillicores,
    memoryMiB: instance.memoryMiB - reservedMemoryMiB(instance.maxPods) - DAEMONSET_OVERHEAD.memoryMiB,
    pods: Math.max(0, instance.maxPods - DAEMONSET_OVERHEAD.pods),
  };
}

/** One pool's nodes, as the fit check and the replay see them. */
export interface PoolFit {
  readonly pool: string;
  readonly instanceTypes: readonly string[];
  /**
   * The tightest of the pool's instance types, resource by resource: the autoscaler may launch any
   * of them (it sizes a group by its first type), so a task must fit all of them.
   */
  readonly room: TaskRoom;
  /** The instance type that sets the room's memory, for messages. */
  readonly tightestType: string;
}

/** The pool's room for tasks, or the instance types with no capacity data. */
export function poolFit(pool: string, instanceTypes: readonly string[], known: ReadonlyMap<string, Ec2InstanceType>): PoolFit | { readonly unknownTypes: readonly string[] } {
  const unknownTypes = instanceTypes.filter((type) => !known.has(type));
  if (unknownTypes.length > 0 || instanceTypes.length === 0) return { unknownTypes };
  const rooms = instanceTypes.map((type) => ({ type, room: taskRoomOn(known.get(type) as Ec2InstanceType) }));
  const tightest = rooms.reduce((a, b) => (b.room.memoryMiB < a.room.memoryMiB ? b : a));
  return {
    pool,
    instanceTypes,
    room: {
      cpuMillicores: Math.min(...rooms.map((r) => r.room.cpuMillicores)),
      memoryMiB: Math.min(...rooms.map((r) => r.room.memoryMiB)),
      pods: Math.min(...rooms.map((r) => r.room.pods)),
    },
    tightestType: tightest.type,
  };
}

export function isPoolFit(fit: PoolFit | { readonly unknownTypes: readonly string[] }): fit is PoolFit {
  return "room" in fit;
}

/** Whether one pod with these requests fits on an empty node of the pool. */
export function fitsPool(fit: PoolFit, pod: PodRequests): boolean {
  return pod.cpuMillicores <= fit.room.cpuMillicores && pod.memoryMiB <= fit.room.memoryMiB && fit.room.pods >= 1;
}

/** How many pods with these requests an empty node of the pool takes. */
export function podsPerPoolNode(fit: PoolFit, pod: PodRequests): number {
  return Math.max(0, Math.min(Math.floor(fit.room.cpuMillicores / pod.cpuMillicores), Math.floor(fit.room.memoryMiB / pod.memoryMiB), fit.room.pods));
}

/** The pool that takes the largest task: most memory, then most CPU. */
export function largestPool(fits: readonly PoolFit[]): PoolFit | undefined {
  return [...fits].sort((a, b) => b.room.memoryMiB - a.room.memoryMiB || b.room.cpuMillicores - a.room.cpuMillicores)[0];
}

/** `7,820m CPU and 61.2 GiB (r6i.2xlarge)`: a pool's largest task, for messages and reports. */
export function describeRoom(fit: PoolFit): string {
  return `${fit.room.cpuMillicores}m CPU and ${(fit.room.memoryMiB / 1024).toFixed(1)} GiB per task (${fit.tightestType}, after kubelet reservations and daemonsets)`;
}

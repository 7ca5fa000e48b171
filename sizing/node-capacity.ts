import type { Ec2InstanceType } from "./instance-data";

/**
 * What every node runs before any task: aws-node, kube-proxy, the EFS CSI node driver and the
 * Datadog agent (whose requests the agent's values set to match).
 */
export const DAEMONSET_OVERHEAD = { cpuMillicores: 300, memoryMiB: 640, pods: 4 } as const;

/** The kubelet's CPU reservation on EKS AMIs: 6 % of the first core, 1 % of the next, 0.5 % of the next two, 0.25 % above. */
export function reservedCpuMillicores(vcpu: number): number {
  const tiers: [number, number][] = [[1, 0.06], [1, 0.01], [2, 0.005], [Infinity, 0.0025]];
  let left = vcpu;
  let reserved = 0;
  for (const [cores, share] of tiers) {
    const used = Math.min(left, cores);
    reserved += used * 1000 * share;
    left -= used;
    if (left <= 0) break;
  }
  return Math.round(reserved);
}

/** The kubelet's memory reservation on EKS AMIs (255 MiB + 11 MiB per pod) plus the 100 MiB eviction threshold. */
export function reservedMemoryMiB(maxPods: number): number {
  return 255 + 11 * maxPods + 100;
}

export interface PodRequests {
  readonly cpuMillicores: number;
  readonly memoryMiB: number;
}

export interface NodeFit {
  readonly instanceType: string;
  readonly allocatableCpuMillicores: number;
  readonly allocatableMemoryMiB: number;
  readonly byCpu: number;
  readonly byMemory: number;
  readonly byPodLimit: number;
  /** Task pods that fit on one node: the smallest of the three. */
  readonly podsPerNode: number;
  readonly limitedBy: "cpu" | "memory" | "max pods";
}

/** How many pods with these requests fit on one node of this type, after reservations and daemonsets. */
export function podsPerNode(instance: Ec2InstanceType, pod: PodRequests): NodeFit {
  const allocatableCpu = instance.vcpu * 1000 - reservedCpuMillicores(instance.vcpu);
  const allocatableMemory = instance.memoryMiB - reservedMemoryMiB(instance.maxPods);
  const byCpu = Math.max(0, Math.floor((allocatableCpu - DAEMONSET_OVERHEAD.cpuMillicores) / pod.cpuMillicores));
  const byMemory = Math.max(0, Math.floor((allocatableMemory - DAEMONSET_OVERHEAD.memoryMiB) / pod.memoryMiB));
  const byPodLimit = Math.max(0, instance.maxPods - DAEMONSET_OVERHEAD.pods);
  const fits = Math.min(byCpu, byMemory, byPodLimit);
  const limitedBy = fits === byCpu ? "cpu" : fits === byMemory ? "memory" : "max pods";
  return { instanceType: instance.type, allocatableCpuMillicores: allocatableCpu, allocatableMemoryMiB: allocatableMemory, byCpu, byMemory, byPodLimit, podsPerNode: fits, limitedBy };
}

// Which node kube-scheduler binds a task pod to, among the nodes of its pool with room (the
// feasible nodes), with the default profile EKS runs and a cluster cannot change. Read from
// kubernetes/kubernetes (pkg/scheduler/apis/config/v1/default_plugins.go and the plugins under
// pkg/scheduler/framework/plugins/): a node's score is the weighted sum of each score plugin's
// 0–100 score. Across one pool's nodes only three differ for a task pod:
// - NodeResourcesFit (weight 1), strategy LeastAllocated: per resource, CPU and memory with weight
//   1 each, (allocatable − requested) × 100 ÷ allocatable in integers, 0 when over, averaged;
//   requested counts every pod on the node (daemonsets too) and the incoming one.
// - NodeResourcesBalancedAllocation (weight 1): (1 − |cpu fraction − memory fraction| ÷ 2) × 100,
//   each fraction requested ÷ allocatable capped at 1, truncated.
// - InterPodAffinity (weight 2): for each pod on a node that the incoming pod's preferred term
//   selects, the term's weight, and again the weight of that pod's own term if it selects the
//   incoming pod; then normalized over the feasible nodes, (score − min) × 100 ÷ (max − min),
//   truncated, all 0 when they are equal. The weights cancel in the normalization: only the count
//   of task pods on each node matters.
// The rest are equal across a pool's nodes: TaintToleration and NodeAffinity (the pool's taint and
// selector, no preferred node terms), ImageLocality (the replay's node join includes pulling the
// image), PodTopologySpread (its system defaults apply only to pods of a Service or controller;
// task pods are bare). kube-scheduler picks at random among equal best scores; the replay takes the
// oldest node, so runs are reproducible.

/** What the pods of the release do: spread (LeastAllocated alone) or pack (with the task pod affinity). */
export type Placement = "least-allocated" | "pack";

/** The default profile's weights of the score plugins that tell a pool's nodes apart. */
export const SCORE_PLUGIN_WEIGHTS = { NodeResourcesFit: 1, NodeResourcesBalancedAllocation: 1, InterPodAffinity: 2 } as const;
const MAX_NODE_SCORE = 100;

export interface Resources {
  readonly cpuMillicores: number;
  readonly memoryMiB: number;
}

export interface CandidateNode {
  /** The node's allocatable CPU and memory. */
  readonly allocatable: Resources;
  /** What the pods on it request now, daemonsets included, before the incoming pod. */
  readonly requested: Resources;
  /** Pods on it that the task pod affinity selects: the other task pods. */
  readonly taskPods: number;
}

/**
 * A node as kube-scheduler scores it: the room tasks have on it (allocatable less the daemonsets),
 * what task pods use of it, and the daemonsets' requests added back to both sides.
 */
export function candidateNode(room: Resources, daemonsets: Resources | undefined, tasks: Resources & { readonly pods: number }): CandidateNode {
  const ds = daemonsets ?? { cpuMillicores: 0, memoryMiB: 0 };
  return {
    allocatable: { cpuMillicores: room.cpuMillicores + ds.cpuMillicores, memoryMiB: room.memoryMiB + ds.memoryMiB },
    requested: { cpuMillicores: tasks.cpuMillicores + ds.cpuMillicores, memoryMiB: tasks.memoryMiB + ds.memoryMiB },
    taskPods: tasks.pods,
  };
}

const least = (requested: number, allocatable: number) => (allocatable === 0 || requested > allocatable ? 0 : Math.floor(((allocatable - requested) * MAX_NODE_SCORE) / allocatable));

/** NodeResourcesFit's LeastAllocated score of a node with the pod on it. */
export function leastAllocatedScore(node: CandidateNode, pod: Resources): number {
  const cpu = least(node.requested.cpuMillicores + pod.cpuMillicores, node.allocatable.cpuMillicores);
  const memory = least(node.requested.memoryMiB + pod.memoryMiB, node.allocatable.memoryMiB);
  return Math.floor((cpu + memory) / 2);
}

/** NodeResourcesBalancedAllocation's score of a node with the pod on it. */
export function balancedAllocationScore(node: CandidateNode, pod: Resources): number {
  const fraction = (requested: number, allocatable: number) => Math.min(1, requested / allocatable);
  const cpu = fraction(node.requested.cpuMillicores + pod.cpuMillicores, node.allocatable.cpuMillicores);
  const memory = fraction(node.requested.memoryMiB + pod.memoryMiB, node.allocatable.memoryMiB);
  return Math.trunc((1 - Math.abs(cpu - memory) / 2) * MAX_NODE_SCORE);
}

/** InterPodAffinity's normalized scores of the feasible nodes, from the task pods on each. */
export function interPodAffinityScores(taskPods: readonly number[]): number[] {
  const min = Math.min(...taskPods);
  const max = Math.max(...taskPods);
  return taskPods.map((count) => (max > min ? Math.trunc((MAX_NODE_SCORE * (count - min)) / (max - min)) : 0));
}

/** Each feasible node's total score for the pod. */
export function nodeScores(nodes: readonly CandidateNode[], pod: Resources, placement: Placement): number[] {
  const affinity = placement === "pack" ? interPodAffinityScores(nodes.map((n) => n.taskPods)) : nodes.map(() => 0);
  return nodes.map(
    (node, i) =>
      SCORE_PLUGIN_WEIGHTS.NodeResourcesFit * leastAllocatedScore(node, pod) +
      SCORE_PLUGIN_WEIGHTS.NodeResourcesBalancedAllocation * balancedAllocationScore(node, pod) +
      SCORE_PLUGIN_WEIGHTS.InterPodAffinity * affinity[i],
  );
}

/** The index of the node kube-scheduler binds the pod to (the first of equal best); -1 with none. */
export function chooseNode(nodes: readonly CandidateNode[], pod: Resources, placement: Placement): number {
  const scores = nodeScores(nodes, pod, placement);
  let best = -1;
  for (let i = 0; i < scores.length; i++) if (best === -1 || scores[i] > scores[best]) best = i;
  return best;
}

/**
 * The label every pod Airflow launches for a task carries, set by the cncf-kubernetes provider
 * itself: the KubernetesExecutor's pods (`PodGenerator.build_labels_for_k8s_executor_pod`) and
 * KubernetesPodOperator's (`KubernetesPodOperator._get_ti_pod_labels`) both label a pod with its
 * DAG. The pod template's own labels (`component: worker`, …) are on executor pods only, so they
 * would leave KubernetesPodOperator pods out of the packing.
 */
export const TASK_POD_LABEL = "dag_id";

/** The node's own topology: pods attract each other onto one node, not one zone. */
export const NODE_TOPOLOGY_KEY = "kubernetes.io/hostname";

/** The preference's weight: the most Kubernetes allows (1–100). */
export const TASK_POD_AFFINITY_WEIGHT = 100;

/**
 * Task pods prefer a node that already runs task pods: a preferred pod affinity to pods with a
 * DAG label, on the node's hostname. kube-scheduler's scoring profile (NodeResourcesFit's
 * LeastAllocated, which spreads) cannot be changed on EKS, whose control plane is AWS's; this
 * preference is the closest substitute for MostAllocated the default scheduler offers. Its
 * InterPodAffinity score (weight 2 in the default profile, normalized 0–100 between the feasible
 * node with the fewest task pods and the one with the most) outweighs what LeastAllocated and
 * BalancedAllocation give the emptier node, so a pod goes to the fullest node with room and an
 * emptied node stays empty for the Cluster Autoscaler to remove (tools/capacity/scheduler-scoring.ts
 * models exactly that). Preferred, never required: a pod with no room next to others still runs.
 * The pod template carries it; the pod mutation hook puts it back on a pod whose `pod_override`
 * replaced the affinity, and on KubernetesPodOperator pods.
 */
export const TASK_POD_AFFINITY = {
  podAffinity: {
    preferredDuringSchedulingIgnoredDuringExecution: [
      {
        weight: TASK_POD_AFFINITY_WEIGHT,
        podAffinityTerm: {
          labelSelector: { matchExpressions: [{ key: TASK_POD_LABEL, operator: "Exists" }] },
          topologyKey: NODE_TOPOLOGY_KEY,
        },
      },
    ],
  },
} as const;

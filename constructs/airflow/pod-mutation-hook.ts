import { NODE_POOL_LABEL, TASKS_TAINT } from "../cluster/node-placement";

/** The annotation that tells the Cluster Autoscaler never to evict a pod to empty a node. */
export const SAFE_TO_EVICT_ANNOTATION = "cluster-autoscaler.kubernetes.io/safe-to-evict";

/**
 * `airflow_local_settings.py` with a `pod_mutation_hook`: Airflow calls it for every pod it
 * launches, KubernetesExecutor task pods and KubernetesPodOperator pods alike, so DAG authors
 * cannot forget the tasks node group, its toleration or the protection from scale-down eviction.
 * @see https://airflow.apache.org/docs/apache-airflow/stable/administration-and-deployment/cluster-policies.html
 */
export function podMutationHook(): string {
  return [
    "from kubernetes.client import models as k8s",
    "",
    "",
    "def pod_mutation_hook(pod: k8s.V1Pod) -> None:",
    "    spec = pod.spec",
    "    spec.node_selector = {**(spec.node_selector or {}), " + JSON.stringify(NODE_POOL_LABEL) + ': "tasks"}',
    "    tolerations = list(spec.tolerations or [])",
    `    if not any(t.key == ${JSON.stringify(TASKS_TAINT.key)} for t in tolerations):`,
    "        tolerations.append(",
    "            k8s.V1Toleration(",
    `                key=${JSON.stringify(TASKS_TAINT.key)}, operator="Equal", value=${JSON.stringify(TASKS_TAINT.value)}, effect=${JSON.stringify(TASKS_TAINT.effect)}`,
    "            )",
    "        )",
    "    spec.tolerations = tolerations",
    "    metadata = pod.metadata",
    `    metadata.annotations = {**(metadata.annotations or {}), ${JSON.stringify(SAFE_TO_EVICT_ANNOTATION)}: "false"}`,
    "",
  ].join("\n");
}

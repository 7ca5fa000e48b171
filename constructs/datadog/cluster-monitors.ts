import { clusterScope, deploymentDownQuery, type MonitorContext } from "./monitor-context";
import type { MonitorSpec } from "./monitor-spec";

/** Kubernetes: is the cluster keeping up with the burst, and is anything killing tasks? */
export function clusterMonitors(c: MonitorContext): MonitorSpec[] {
  const atMaxWarning = c.tasksMaxNodes >= 5 ? Math.floor(c.tasksMaxNodes * 0.9) : undefined;
  return [
    {
      key: "task-pods-pending",
      name: `[${c.environment}] Airflow task pods have been Pending for 15 minutes`,
      severity: "critical",
      priority: 2,
      query: `min(last_15m):sum:kubernetes_state.pod.status_phase{${clusterScope(c, `kube_namespace:${c.taskNamespace}`, "pod_phase:pending")}} >= 1`,
      thresholds: { critical: 1 },
      summary: "Task pods have waited 15 minutes for a node.",
      impact: "The autoscaler is not keeping up: tasks start late and the run misses its deadline.",
      firstCheck: "The Cluster Autoscaler's logs and the tasks node group in the EKS console (max size, EC2 capacity errors).",
      notifyNoData: false,
    },
    {
      key: "tasks-node-group-at-max",
      name: `[${c.environment}] The tasks node group is at its maximum of ${c.tasksMaxNodes} nodes`,
      severity: "warning",
      priority: 3,
      query: `max(last_30m):sum:kubernetes_state.node.status{${clusterScope(c, "node_pool:tasks", "status:schedulable")}} >= ${c.tasksMaxNodes}`,
      thresholds: { critical: c.tasksMaxNodes, ...(atMaxWarning !== undefined ? { warning: atMaxWarning } : {}) },
      summary: `The tasks group has run ${c.tasksMaxNodes} nodes for 30 minutes.`,
      impact: "No more task pods can start until others finish.",
      firstCheck: "Whether tonight's load is unusual; raise nodeGroups.tasks.maxSize if it is the new normal.",
      notifyNoData: false,
    },
    {
      key: "pods-oomkilled",
      name: `[${c.environment}] Airflow task pod {{pod_name.name}} was OOMKilled`,
      severity: "warning",
      priority: 3,
      query: `max(last_10m):sum:kubernetes_state.container.status_report.count.terminated{${clusterScope(c, `kube_namespace:${c.taskNamespace}`, "reason:oomkilled")}} by {pod_name} >= 1`,
      thresholds: { critical: 1 },
      summary: "{{pod_name.name}} ran out of memory and was killed.",
      impact: "Its task failed or will retry; repeated kills fail the DAG run.",
      firstCheck: "The task's memory limit (airflow.taskPod.memoryLimitMiB) against what it really uses.",
      notifyNoData: false,
    },
    {
      key: "pods-evicted",
      name: `[${c.environment}] The Cluster Autoscaler evicted pods`,
      severity: "warning",
      priority: 2,
      query: `sum(last_15m):sum:kubernetes_cluster_autoscaler.evicted.pods.count{${clusterScope(c)}}.as_count() >= 1`,
      thresholds: { critical: 1 },
      summary: "{{value}} pods were evicted while nodes were scaled down.",
      impact: "A running task evicted mid-run fails and starts over.",
      firstCheck: "Which pods lacked cluster-autoscaler.kubernetes.io/safe-to-evict=false.",
      notifyNoData: false,
    },
    {
      key: "cluster-autoscaler-down",
      name: `[${c.environment}] The Cluster Autoscaler is not running`,
      severity: "critical",
      priority: 1,
      query: deploymentDownQuery(c, "kube-system", "cluster-autoscaler"),
      thresholds: { critical: 1 },
      summary: "No Cluster Autoscaler replica has been available for 10 minutes.",
      impact: "The cluster cannot grow for tonight's run or shrink after it.",
      firstCheck: "`kubectl -n kube-system describe deployment cluster-autoscaler`, then its IRSA role.",
      notifyNoData: true,
      noDataMinutes: 20,
    },
  ];
}

import { clusterScope, type MonitorContext } from "./monitor-context";
import type { MonitorSpec } from "./monitor-spec";

/** A task pool other than the default one, which `tasks-node-group-at-max` already watches. */
export interface TaskPoolLimit {
  readonly pool: string;
  readonly maxSize: number;
}

/**
 * One monitor per extra task pool: the pool has run at its maximum for 30 minutes. Same metric and
 * tags as `tasks-node-group-at-max` (kube-state-metrics' node status, `node_pool` from the node's
 * `airflow-platform/pool` label): a task that chose the pool waits for a node that will not come.
 */
export function taskPoolMonitors(c: MonitorContext, pools: readonly TaskPoolLimit[]): MonitorSpec[] {
  return pools.map(({ pool, maxSize }) => {
    const warning = maxSize >= 5 ? Math.floor(maxSize * 0.9) : undefined;
    return {
      key: `task-pool-${pool}-at-max`,
      name: `[${c.environment}] The ${pool} task pool is at its maximum of ${maxSize} nodes`,
      severity: "warning",
      priority: 3,
      query: `max(last_30m):sum:kubernetes_state.node.status{${clusterScope(c, `node_pool:${pool}`, "status:schedulable")}} >= ${maxSize}`,
      thresholds: { critical: maxSize, ...(warning !== undefined ? { warning } : {}) },
      summary: `The ${pool} pool has run ${maxSize} nodes for 30 minutes.`,
      impact: `Tasks that chose the ${pool} pool wait until one of its tasks finishes; the run may miss its deadline.`,
      firstCheck: `Which DAGs send tasks to the ${pool} pool tonight; raise nodeGroups.taskPools.${pool}.maxSize if this is the new normal.`,
      notifyNoData: false,
    };
  });
}

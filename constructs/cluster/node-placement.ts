// Where pods go. The infrastructure stack puts these labels and taints on the node groups; the
// platform stack gives pods the matching selectors and tolerations. One definition for both.

/** Node label whose value names the node group's role. */
export const NODE_POOL_LABEL = "airflow-platform/pool";

export type NodePool = "system" | "tasks";

export interface NodeTaint {
  readonly key: string;
  readonly value: string;
  readonly effect: "NoSchedule" | "NoExecute" | "PreferNoSchedule";
}

/** Keeps everything but task pods off the tasks group, so a scale-down never strands a scheduler. */
export const TASKS_TAINT: NodeTaint = { key: "airflow-platform/tasks", value: "true", effect: "NoSchedule" };

export function nodePoolLabels(pool: NodePool): Readonly<Record<string, string>> {
  return { [NODE_POOL_LABEL]: pool };
}

export function nodePoolTaints(pool: NodePool): readonly NodeTaint[] {
  return pool === "tasks" ? [TASKS_TAINT] : [];
}

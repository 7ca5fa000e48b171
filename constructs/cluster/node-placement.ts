// Where pods go. The infrastructure stack puts these labels and taints on the node groups; the
// platform stack gives pods the matching selectors and tolerations; the pod mutation hook and the
// task namespace's quota read the same definitions. One place for all of them.

/** Node label whose value names the node group's pool: `system`, `tasks`, or a task pool's name. */
export const NODE_POOL_LABEL = "airflow-platform/pool";

/** The group that runs Airflow itself, the autoscaler and the agents' cluster parts. */
export const SYSTEM_POOL = "system";

/** The task pool a task lands on when it chooses none. */
export const DEFAULT_TASK_POOL = "tasks";

/** `system`, `tasks`, or the name of a task pool the environment declares. */
export type NodePool = string;

export interface NodeTaint {
  readonly key: string;
  readonly value: string;
  readonly effect: "NoSchedule" | "NoExecute" | "PreferNoSchedule";
}

/**
 * Every task pool's taint has this key, so whatever must run on all task nodes (the Datadog agent,
 * whose DogStatsD port task pods send to) tolerates them all with one `Exists` toleration, and
 * nothing that is not a task lands on a task node.
 */
export const TASK_POOL_TAINT_KEY = "airflow-platform/tasks";

/**
 * A task pool's taint: the shared key, the pool's name as the value, so a pod tolerating one pool
 * does not land on another. The default pool keeps `true`, its value since the first release, so
 * its nodes and every pod template that tolerates them stay as they are.
 */
export function taskPoolTaint(pool: string): NodeTaint {
  return { key: TASK_POOL_TAINT_KEY, value: pool === DEFAULT_TASK_POOL ? "true" : pool, effect: "NoSchedule" };
}

/** Keeps everything but task pods off the default task pool. */
export const TASKS_TAINT: NodeTaint = taskPoolTaint(DEFAULT_TASK_POOL);

export function nodePoolLabels(pool: NodePool): Readonly<Record<string, string>> {
  return { [NODE_POOL_LABEL]: pool };
}

export function nodePoolTaints(pool: NodePool): readonly NodeTaint[] {
  return pool === SYSTEM_POOL ? [] : [taskPoolTaint(pool)];
}

/** A Kubernetes toleration (as chart values and pod specs write it) for exactly this taint. */
export function tolerationFor(taint: NodeTaint): { key: string; operator: "Equal"; value: string; effect: NodeTaint["effect"] } {
  return { key: taint.key, operator: "Equal", value: taint.value, effect: taint.effect };
}

/** Where a task pool's pods go: its node selector and the toleration of its taint. */
export interface TaskPoolPlacement {
  readonly pool: string;
  readonly nodeSelector: Readonly<Record<string, string>>;
  readonly taint: NodeTaint;
}

export function taskPoolPlacement(pool: string): TaskPoolPlacement {
  return { pool, nodeSelector: nodePoolLabels(pool), taint: taskPoolTaint(pool) };
}

import { ec2InstanceTypes } from "../../sizing/instance-data";
import { isPoolFit, poolFit, type PoolFit } from "../../sizing/pool-fit";
import { DEFAULT_TASK_POOL, taskPoolPlacement, type TaskPoolPlacement } from "../../constructs/cluster/node-placement";
import type { TaskPodResources } from "../schema/airflow";
import type { EnvironmentConfig } from "../schema/environment-config";

// An environment's task pools in one list: the default `tasks` group first, then the pools it
// declares under nodeGroups.taskPools. The infrastructure stack, the pod mutation hook, the task
// namespace's quota, the fit check and the capacity replay all read this list.

type PoolSource = Pick<EnvironmentConfig, "nodeGroups">;
type NodeGroupSettings = EnvironmentConfig["nodeGroups"]["tasks"];
type TaskPoolSettings = EnvironmentConfig["nodeGroups"]["taskPools"][string];

export interface TaskPool {
  readonly name: string;
  /** Where it is written in the environment file, for messages. */
  readonly path: readonly string[];
  readonly settings: NodeGroupSettings;
}

function withDesired(pool: TaskPoolSettings): NodeGroupSettings {
  return { ...pool, desiredSize: pool.desiredSize ?? pool.minSize };
}

export function taskPools(env: PoolSource): TaskPool[] {
  return [
    { name: DEFAULT_TASK_POOL, path: ["nodeGroups", DEFAULT_TASK_POOL], settings: env.nodeGroups.tasks },
    ...Object.entries(env.nodeGroups.taskPools).map(([name, pool]) => ({ name, path: ["nodeGroups", "taskPools", name], settings: withDesired(pool) })),
  ];
}

/** Selector and toleration of every task pool, default first: what the pod mutation hook knows. */
export function taskPoolPlacements(env: PoolSource): TaskPoolPlacement[] {
  return taskPools(env).map((pool) => taskPoolPlacement(pool.name));
}

/** Each pool's room for tasks; pools with an instance type lacking capacity data are left out (the rules report them). */
export function taskPoolFits(env: PoolSource & Pick<EnvironmentConfig, "extraInstanceTypes">): PoolFit[] {
  const known = ec2InstanceTypes(env.extraInstanceTypes);
  return taskPools(env)
    .map((pool) => poolFit(pool.name, pool.settings.instanceTypes, known))
    .filter(isPoolFit);
}

export interface TaskSize {
  /** `default` for airflow.taskPod, else the name under airflow.taskSizes. */
  readonly name: string;
  readonly path: readonly string[];
  readonly resources: TaskPodResources;
}

/** The default task pod and every named size. */
export function taskSizes(env: Pick<EnvironmentConfig, "airflow">): TaskSize[] {
  return [
    { name: "default", path: ["airflow", "taskPod"], resources: env.airflow.taskPod },
    ...Object.entries(env.airflow.taskSizes).map(([name, resources]) => ({ name, path: ["airflow", "taskSizes", name], resources })),
  ];
}

export interface TaskQuota {
  readonly cpuMillicores: number;
  readonly memoryMiB: number;
  readonly limitsCpuMillicores: number;
  readonly limitsMemoryMiB: number;
  readonly pods: number;
}

/**
 * The task namespace's quota: as the environment gives it, or every task pool at its maximum.
 * Requests are what the nodes hold; limits scale by the largest limit-to-request ratio among the
 * task sizes, so a pool full of any one size is never refused by the quota before the nodes.
 */
export function taskQuotaFor(env: Pick<EnvironmentConfig, "nodeGroups" | "airflow" | "extraInstanceTypes">): TaskQuota {
  const given = env.airflow.taskQuota;
  if (given) return { ...given, limitsCpuMillicores: given.cpuMillicores, limitsMemoryMiB: given.memoryMiB };
  const fits = new Map(taskPoolFits(env).map((fit) => [fit.pool, fit]));
  let cpu = 0;
  let memory = 0;
  let pods = 0;
  for (const pool of taskPools(env)) {
    const fit = fits.get(pool.name);
    if (!fit) continue;
    cpu += fit.room.cpuMillicores * pool.settings.maxSize;
    memory += fit.room.memoryMiB * pool.settings.maxSize;
    pods += fit.room.pods * pool.settings.maxSize;
  }
  const sizes = taskSizes(env).map((s) => s.resources);
  const cpuRatio = Math.max(1, ...sizes.map((s) => s.cpuLimitMillicores / s.cpuMillicores));
  const memoryRatio = Math.max(1, ...sizes.map((s) => s.memoryLimitMiB / s.memoryMiB));
  return {
    cpuMillicores: cpu,
    memoryMiB: memory,
    limitsCpuMillicores: Math.ceil(cpu * cpuRatio),
    limitsMemoryMiB: Math.ceil(memory * memoryRatio),
    pods,
  };
}

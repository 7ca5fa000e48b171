import { ec2InstanceTypes } from "../../sizing/instance-data";
import type { EnvironmentConfig } from "../../configuration/schema/environment-config";
import { taskPools } from "../../configuration/derived/task-pools";

// What-ifs on an environment's pools that the replay runs as if the environment said them:
// `--instance-types tasks=m6i.xlarge` gives the pool those instance types.

/** The environment with each named pool's instance types replaced. */
export function applyInstanceTypes(config: EnvironmentConfig, given: ReadonlyMap<string, string>, error: (message: string) => Error): EnvironmentConfig {
  if (given.size === 0) return config;
  const pools = taskPools(config).map((p) => p.name);
  const known = ec2InstanceTypes(config.extraInstanceTypes);
  let nodeGroups = config.nodeGroups;
  for (const [pool, list] of given) {
    if (!pools.includes(pool)) throw error(`--instance-types ${pool}=${list}: not a task pool of ${config.name} (${pools.join(", ")})`);
    const types = list.split(",").map((t) => t.trim()).filter((t): t is `${string}.${string}` => t !== "");
    const unknown = types.filter((t) => !known.has(t));
    if (types.length === 0 || unknown.length > 0) throw error(`--instance-types ${pool}=${list}: ${unknown.length > 0 ? `unknown instance type ${unknown.join(", ")}` : "no instance type"} (data/aws/instance-types.csv, or extraInstanceTypes)`);
    nodeGroups =
      pool === "tasks"
        ? { ...nodeGroups, tasks: { ...nodeGroups.tasks, instanceTypes: types } }
        : { ...nodeGroups, taskPools: { ...nodeGroups.taskPools, [pool]: { ...nodeGroups.taskPools[pool], instanceTypes: types } } };
  }
  return { ...config, nodeGroups };
}

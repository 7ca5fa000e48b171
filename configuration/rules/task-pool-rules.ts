import { describeRoom, fitsPool, largestPool } from "../../sizing/pool-fit";
import { DEFAULT_TASK_POOL, SYSTEM_POOL } from "../../constructs/cluster/node-placement";
import { taskPoolFits, taskPools, taskSizes } from "../derived/task-pools";
import type { RuleViolation } from "../common/rule-violation";
import type { ParsedEnvironment } from "../schema/environment";

/**
 * Names a task pool may not take: the two fixed groups, the node role's construct id beside the
 * groups, and `true`, the default pool's taint value (a pool so named would share its taint).
 */
export const RESERVED_POOL_NAMES: readonly string[] = [SYSTEM_POOL, DEFAULT_TASK_POOL, "node-role", "true"];

function quantity(r: { readonly cpuMillicores: number; readonly memoryMiB: number }): string {
  return `${r.cpuMillicores}m CPU, ${r.memoryMiB} MiB`;
}

/**
 * The fit check, run when an environment is loaded (unknown instance types are the node-group
 * rules' finding): the default task pod fits the default pool (where the hook puts every task that chooses
 * none), every named size fits some pool, and a quota the environment sets admits every size.
 */
export function checkTaskPoolRules(env: ParsedEnvironment): RuleViolation[] {
  const found: RuleViolation[] = [];
  for (const pool of taskPools(env)) {
    if (RESERVED_POOL_NAMES.includes(pool.name) && pool.path.length === 3) {
      found.push({ path: pool.path, given: pool.name, allowed: `a pool name other than ${RESERVED_POOL_NAMES.join(", ")}` });
    }
  }
  const fits = taskPoolFits(env);
  const biggest = largestPool(fits);
  for (const size of taskSizes(env)) {
    const r = size.resources;
    if (r.cpuLimitMillicores < r.cpuMillicores) {
      found.push({ path: [...size.path, "cpuLimitMillicores"], given: r.cpuLimitMillicores, allowed: `at least the request (${r.cpuMillicores})` });
    }
    if (r.memoryLimitMiB < r.memoryMiB) {
      found.push({ path: [...size.path, "memoryLimitMiB"], given: r.memoryLimitMiB, allowed: `at least the request (${r.memoryMiB})` });
    }
    if (size.name === "default") {
      const tasks = fits.find((fit) => fit.pool === DEFAULT_TASK_POOL);
      if (tasks && !fitsPool(tasks, r)) {
        found.push({ path: size.path, given: quantity(r), allowed: `requests that fit the default pool "${DEFAULT_TASK_POOL}", where every task that chooses no pool runs: at most ${describeRoom(tasks)}` });
      }
    } else if (biggest && !fits.some((fit) => fitsPool(fit, r))) {
      found.push({ path: size.path, given: `task size "${size.name}": ${quantity(r)}`, allowed: `a size that fits a task pool; the largest pool, "${biggest.pool}", takes at most ${describeRoom(biggest)}` });
    }
    const quota = env.airflow.taskQuota;
    if (quota && (quota.cpuMillicores < r.cpuLimitMillicores || quota.memoryMiB < r.memoryLimitMiB)) {
      found.push({ path: ["airflow", "taskQuota"], given: quota, allowed: `room for one task of size "${size.name}" at its limits (${r.cpuLimitMillicores}m, ${r.memoryLimitMiB}Mi); leave taskQuota out to size it for every pool at its maximum` });
    }
  }
  return found;
}

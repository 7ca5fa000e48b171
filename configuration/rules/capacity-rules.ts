import { airflowClientConnections, rdsDefaultMaxConnections } from "../../sizing/database-capacity";
import { rdsInstanceMemoryGiB, type Ec2InstanceType } from "../../sizing/instance-data";
import { podsPerNode, type NodeFit, type PodRequests } from "../../sizing/node-capacity";
import type { RuleViolation } from "../common/rule-violation";
import { instanceTypesOf } from "../schema/instance-extras";
import type { ParsedEnvironment } from "../schema/environment";
import { didYouMean } from "../common/suggest";

interface TasksPlacement {
  readonly extraInstanceTypes: readonly Ec2InstanceType[];
  readonly nodeGroups: { readonly tasks: { readonly instanceTypes: readonly string[] } };
  readonly airflow: { readonly taskPod: PodRequests };
}

/** The tightest fit among the tasks group's instance types, or undefined if one is unknown. */
export function tasksNodeFit(env: TasksPlacement): NodeFit | undefined {
  const known = instanceTypesOf(env);
  const fits = env.nodeGroups.tasks.instanceTypes.map((type) => {
    const instance = known.get(type);
    return instance ? podsPerNode(instance, env.airflow.taskPod) : undefined;
  });
  if (fits.some((f) => f === undefined)) return undefined;
  return (fits as NodeFit[]).reduce((a, b) => (b.podsPerNode < a.podsPerNode ? b : a));
}

/**
 * Will the night's work fit: every scheduler's parallelism in the default pool, connections in the database. Pools
 * and task sizes are checked by task-pool-rules.ts.
 */
export function checkCapacityRules(env: ParsedEnvironment): RuleViolation[] {
  const found: RuleViolation[] = [];
  // Unknown instance types are the node-group rules' finding; without their facts there is no fit.
  const fit = tasksNodeFit(env);
  if (fit && fit.podsPerNode > 0) {
    const atMax = fit.podsPerNode * env.nodeGroups.tasks.maxSize;
    // [core] parallelism is per scheduler: the schedulers together run that many times it.
    const schedulers = env.airflow.schedulerReplicas;
    if (atMax < env.airflow.parallelism * schedulers) {
      found.push({
        path: ["airflow", "parallelism"],
        given: env.airflow.parallelism,
        allowed:
          `at most ${Math.floor(atMax / schedulers)} per scheduler: ${schedulers} scheduler${schedulers === 1 ? "" : "s"} × parallelism must fit the task pods the tasks group ` +
          `holds at its maximum, ${env.nodeGroups.tasks.maxSize} nodes × ${fit.podsPerNode} pods (${fit.instanceType}, limited by ${fit.limitedBy}) = ${atMax}`,
      });
    }
  }
  const classes = rdsInstanceMemoryGiB(env.extraDbInstanceClasses);
  const memory = classes.get(env.database.instanceClass);
  if (memory === undefined) {
    found.push({
      path: ["database", "instanceClass"],
      given: env.database.instanceClass,
      allowed: `${didYouMean(env.database.instanceClass, classes.keys())}an RDS for PostgreSQL class in data/aws/rds-instance-classes.csv, or one added under extraDbInstanceClasses with its facts and a reason`,
    });
  } else if (env.database.maxConnections > rdsDefaultMaxConnections(memory)) {
    found.push({
      path: ["database", "maxConnections"],
      given: env.database.maxConnections,
      allowed: `at most ${rdsDefaultMaxConnections(memory)}, what RDS's formula LEAST(DBInstanceClassMemory/9531392, 5000) gives ${env.database.instanceClass} (${memory} GiB)`,
    });
  }
  const clients = airflowClientConnections({ schedulers: env.airflow.schedulerReplicas, apiServers: env.airflow.apiServerReplicas });
  if (clients > env.airflow.pgbouncer.maxClientConnections) {
    found.push({
      path: ["airflow", "pgbouncer", "maxClientConnections"],
      given: env.airflow.pgbouncer.maxClientConnections,
      allowed: `at least ${clients}, the connections Airflow's schedulers, API servers, DAG processor and triggerer can open`,
    });
  }
  return found;
}

import { airflowClientConnections, rdsDefaultMaxConnections } from "../constructs/capacity/database-capacity";
import { ec2InstanceTypes, rdsInstanceMemoryGiB } from "../constructs/capacity/instance-data";
import { nightlyModel, type NightlyModelResult } from "../constructs/capacity/nightly-model";
import { podsPerNode } from "../constructs/capacity/node-capacity";
import { DATABASE_CONNECTION_RESERVE, pgbouncerServerConnections } from "./airflow-rules";
import { tasksNodeFit } from "./capacity-rules";
import type { EnvironmentConfig } from "./config";

export interface WorkloadShape {
  readonly tasks: number;
  readonly layers: number;
  readonly medianTaskMinutes: number;
  readonly spread: number;
  /** The single always-on machine the pipeline is compared with. */
  readonly baselineInstance: string;
}

export const DEFAULT_WORKLOAD: WorkloadShape = { tasks: 200, layers: 10, medianTaskMinutes: 20, spread: 0.6, baselineInstance: "m6i.2xlarge" };

export interface CapacityReport {
  readonly rows: readonly (readonly [string, string])[];
  readonly platform: NightlyModelResult;
  readonly baseline: NightlyModelResult & { readonly podsAtOnce: number };
}

function hours(minutes: number): string {
  return `${Math.floor(minutes / 60)}h${String(Math.round(minutes % 60)).padStart(2, "0")}`;
}

/** The capacity table and the nightly model for one validated environment. */
export function capacityReport(config: EnvironmentConfig, workload: WorkloadShape = DEFAULT_WORKLOAD): CapacityReport {
  const fit = tasksNodeFit(config);
  if (!fit) throw new Error(`${config.name}: no capacity data for ${config.nodeGroups.tasks.instanceTypes.join(", ")}`);
  const tasks = config.nodeGroups.tasks;
  const pod = config.airflow.taskPod;
  const memory = rdsInstanceMemoryGiB().get(config.database.instanceClass) ?? 0;
  const pools = pgbouncerServerConnections(config.airflow.pgbouncer);
  const clients = airflowClientConnections({ schedulers: config.airflow.schedulerReplicas, apiServers: config.airflow.apiServerReplicas });
  const rows: [string, string][] = [
    ["tasks node group", `${tasks.instanceTypes.join(", ")}, ${tasks.minSize}–${tasks.maxSize} nodes`],
    ["task pod requests", `${pod.cpuMillicores}m CPU, ${pod.memoryMiB} MiB`],
    ["allocatable per node", `${fit.allocatableCpuMillicores}m CPU, ${fit.allocatableMemoryMiB} MiB, ${ec2InstanceTypes().get(fit.instanceType)?.maxPods ?? 0} pods`],
    ["task pods per node", `${fit.podsPerNode} (limited by ${fit.limitedBy})`],
    ["task pods at max nodes", `${fit.podsPerNode * tasks.maxSize} (Airflow parallelism ${config.airflow.parallelism})`],
    ["database max_connections", `${config.database.maxConnections} (RDS formula for ${config.database.instanceClass}: ${rdsDefaultMaxConnections(memory)})`],
    [
      "PgBouncer server pools + reserve",
      `${config.airflow.pgbouncer.replicas} replicas × ${config.airflow.pgbouncer.metadataPoolSize} + ${DATABASE_CONNECTION_RESERVE} = ${pools + DATABASE_CONNECTION_RESERVE}`,
    ],
    ["Airflow client connections", `${clients} (PgBouncer max_client_conn ${config.airflow.pgbouncer.maxClientConnections})`],
  ];
  const shape = { tasks: workload.tasks, layers: workload.layers, medianTaskMinutes: workload.medianTaskMinutes, spread: workload.spread };
  const platform = nightlyModel({ ...shape, podsPerNode: fit.podsPerNode, maxNodes: tasks.maxSize, minNodes: tasks.minSize, parallelism: config.airflow.parallelism });
  const baselineType = ec2InstanceTypes().get(workload.baselineInstance);
  if (!baselineType) throw new Error(`unknown baseline instance ${workload.baselineInstance}`);
  const podsAtOnce = podsPerNode(baselineType, pod).podsPerNode;
  const single = nightlyModel({ ...shape, podsPerNode: podsAtOnce, maxNodes: 1, minNodes: 1, parallelism: podsAtOnce });
  rows.push(
    [`nightly run: ${workload.tasks} tasks in ${workload.layers} layers`, `median ${workload.medianTaskMinutes} min per task`],
    ["peak task nodes", String(platform.peakNodes)],
    ["time to finish", hours(platform.finishMinutes)],
    ["task node-hours per day", String(platform.nodeHours)],
    [`one always-on ${workload.baselineInstance}`, `${podsAtOnce} tasks at once, finishes in ${hours(single.finishMinutes)}, 24 node-hours`],
  );
  return { rows, platform, baseline: { ...single, podsAtOnce } };
}

import { ec2InstanceTypes, type Ec2InstanceType } from "../../sizing/instance-data";
import { hourlyPrice, HOURS_PER_MONTH, type PriceSource } from "./prices";
import { replay, type ReplayPool, type ReplayResult, type ReplaySettings } from "./replay";
import { criticalPath, type CriticalPath, type Workload } from "./workload";
import type { EnvironmentConfig } from "../../configuration/schema/environment-config";
import { taskPoolFits, taskPools } from "../../configuration/derived/task-pools";

// One night of a team's DAG, replayed twice: on the environment's task pools as they scale, and on
// the one always-on machine the team would otherwise run it on. Both are priced the same way.

export interface NightlyAssumptions {
  readonly replay: ReplaySettings;
  /** Pool sizes to replay with, when not the environment's own (what-if). */
  readonly minNodes: ReadonlyMap<string, number>;
  readonly maxNodes: ReadonlyMap<string, number>;
  /** The always-on machine; undefined: the cheapest that holds the platform's peak. */
  readonly machine: string | undefined;
  /** What Airflow itself, the OS and a local database take on that machine. */
  readonly machineReserve: { readonly cpuMillicores: number; readonly memoryMiB: number };
  readonly prices: PriceSource;
  readonly deadlineHours: number | undefined;
}

export interface PoolCost {
  readonly pool: string;
  readonly instanceType: string;
  readonly peakNodes: number;
  /** Over a day: the run's nodes, and the pool's minimum for the rest of the day. */
  readonly nodeHoursPerDay: number;
  readonly usdPerHour: number | undefined;
}

export interface Side {
  readonly result: ReplayResult;
  readonly pools: readonly PoolCost[];
  /** Per night (one run a day), in USD; undefined when a price is missing. */
  readonly costPerRun: number | undefined;
  readonly costPerMonth: number | undefined;
}

export interface NightlyReport {
  readonly workload: Workload;
  readonly criticalPath: CriticalPath;
  readonly platform: Side & { readonly systemCostPerDay: number | undefined };
  readonly machine: Side & { readonly instanceType: string; readonly sizedForPeak: boolean };
  readonly deadlineHours: number | undefined;
}

const DAY = 86400;

function sum(values: readonly (number | undefined)[]): number | undefined {
  return values.some((v) => v === undefined) ? undefined : values.reduce<number>((a, b) => a + (b ?? 0), 0);
}

/** Node-hours over the day of a run: what the replay saw, and the minimum for the rest of the day. */
function nodeHoursPerDay(result: ReplayResult, pool: string, minNodes: number): number {
  const seconds = (result.pools.get(pool)?.nodeSeconds ?? 0) + minNodes * Math.max(0, DAY - result.windowSeconds);
  return seconds / 3600;
}

function platformPools(config: EnvironmentConfig, assumptions: NightlyAssumptions): ReplayPool[] {
  const fits = new Map(taskPoolFits(config).map((f) => [f.pool, f]));
  return taskPools(config).map((pool) => {
    const fit = fits.get(pool.name);
    if (!fit) throw new Error(`${config.name}: no capacity data for the ${pool.name} pool's ${pool.settings.instanceTypes.join(", ")}`);
    return {
      name: pool.name,
      room: fit.room,
      minNodes: assumptions.minNodes.get(pool.name) ?? pool.settings.minSize,
      maxNodes: assumptions.maxNodes.get(pool.name) ?? pool.settings.maxSize,
    };
  });
}

/**
 * The cheapest instance type with a price whose vCPU and memory, less the reserve, hold the peak;
 * of the given architecture when one is given (the tasks' own, so their code runs unchanged).
 */
export function machineForPeak(
  peak: { readonly cpuMillicores: number; readonly memoryMiB: number },
  reserve: NightlyAssumptions["machineReserve"],
  prices: PriceSource,
  known: ReadonlyMap<string, Ec2InstanceType> = ec2InstanceTypes(),
  architecture?: Ec2InstanceType["architecture"],
): string | undefined {
  const candidates = [...known.values()]
    .filter((t) => architecture === undefined || t.architecture === architecture)
    .filter((t) => t.vcpu * 1000 - reserve.cpuMillicores >= peak.cpuMillicores && t.memoryMiB - reserve.memoryMiB >= peak.memoryMiB)
    .map((t) => ({ type: t.type, usd: hourlyPrice(prices, t.type) }))
    .filter((c): c is { type: string; usd: number } => c.usd !== undefined)
    .sort((a, b) => a.usd - b.usd || a.type.localeCompare(b.type));
  return candidates[0]?.type;
}

export function replayNight(config: EnvironmentConfig, workload: Workload, assumptions: NightlyAssumptions): NightlyReport {
  const pools = platformPools(config, assumptions);
  const result = replay(workload, pools, assumptions.replay);
  const poolCosts = pools.map((pool): PoolCost => {
    const instanceType = taskPools(config).find((p) => p.name === pool.name)?.settings.instanceTypes[0] ?? "";
    return {
      pool: pool.name,
      instanceType,
      peakNodes: result.pools.get(pool.name)?.peakNodes ?? 0,
      nodeHoursPerDay: nodeHoursPerDay(result, pool.name, pool.minNodes),
      usdPerHour: hourlyPrice(assumptions.prices, instanceType),
    };
  });
  const system = config.nodeGroups.system;
  const systemPrice = hourlyPrice(assumptions.prices, system.instanceTypes[0]);
  const systemCostPerDay = systemPrice === undefined ? undefined : system.minSize * 24 * systemPrice;
  const tasksPerRun = sum(poolCosts.map((p) => (p.usdPerHour === undefined ? undefined : p.nodeHoursPerDay * p.usdPerHour)));
  const platformPerRun = sum([tasksPerRun, systemCostPerDay]);

  const known = ec2InstanceTypes(config.extraInstanceTypes);
  const taskArchitecture = known.get(config.nodeGroups.tasks.instanceTypes[0])?.architecture;
  const instanceType = assumptions.machine ?? machineForPeak(result.peakRequests, assumptions.machineReserve, assumptions.prices, known, taskArchitecture);
  if (!instanceType) throw new Error(`no instance type with a price holds the peak of ${result.peakRequests.cpuMillicores}m CPU and ${result.peakRequests.memoryMiB} MiB; name one with --machine`);
  const instance = known.get(instanceType);
  if (!instance) throw new Error(`--machine ${instanceType}: no capacity data for it (data/aws/instance-types.csv)`);
  const machinePool: ReplayPool = {
    name: "machine",
    room: { cpuMillicores: instance.vcpu * 1000 - assumptions.machineReserve.cpuMillicores, memoryMiB: instance.memoryMiB - assumptions.machineReserve.memoryMiB, pods: 1000 },
    minNodes: 1,
    maxNodes: 1,
  };
  const onOneMachine: Workload = { ...workload, tasks: workload.tasks.map((t) => ({ ...t, units: t.units.map((u) => ({ ...u, pool: "machine" })) })) };
  // A single machine's executor holds tasks as "scheduled" until it has a slot, so they never sit
  // queued long enough for task_queued_timeout: only the pods of the platform can.
  const machineResult = replay(onOneMachine, [machinePool], { ...assumptions.replay, taskQueuedTimeoutSeconds: Infinity });
  const machinePrice = hourlyPrice(assumptions.prices, instanceType);
  const machineRun = machinePrice === undefined ? undefined : 24 * machinePrice;
  const runsPerMonth = HOURS_PER_MONTH / 24;
  return {
    workload,
    criticalPath: criticalPath(workload),
    platform: { result, pools: poolCosts, systemCostPerDay, costPerRun: platformPerRun, costPerMonth: platformPerRun === undefined ? undefined : platformPerRun * runsPerMonth },
    machine: {
      result: machineResult,
      pools: [{ pool: "machine", instanceType, peakNodes: 1, nodeHoursPerDay: 24, usdPerHour: machinePrice }],
      costPerRun: machineRun,
      costPerMonth: machinePrice === undefined ? undefined : HOURS_PER_MONTH * machinePrice,
      instanceType,
      sizedForPeak: assumptions.machine === undefined,
    },
    deadlineHours: assumptions.deadlineHours,
  };
}

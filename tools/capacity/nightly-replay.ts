import { smallestMachineInTime, replayOnMachine, type BaselineChoice, type MachineReserve } from "./baseline-machine";
import { fixedCosts, fixedTotal, type FixedCostLine } from "./fixed-costs";
import { ec2InstanceTypes } from "../../sizing/instance-data";
import { hourlyPrice, HOURS_PER_MONTH, type PriceSource } from "./prices";
import { replay, type ReplayPool, type ReplayResult, type ReplaySettings } from "./replay";
import { poolUtilisation, type PoolUtilisation } from "./utilisation";
import { criticalPath, type CriticalPath, type Workload } from "./workload";
import type { EnvironmentConfig } from "../../configuration/schema/environment-config";
import { taskPoolFits, taskPools } from "../../configuration/derived/task-pools";
import { DAEMONSET_OVERHEAD } from "../../sizing/node-capacity";

// One night of a team's DAG, replayed on the environment's task pools as they scale and on the
// always-on machine it is compared with: the team's own (--machine), else the cheapest one that
// runs the same export in time. Both are priced in the environment's region; the platform's side
// carries its fixed costs (EKS, NAT, RDS, EFS, load balancer, Datadog hosts) as well.

export interface NightlyAssumptions {
  readonly replay: ReplaySettings;
  /** Pool sizes to replay with, when not the environment's own (what-if). */
  readonly minNodes: ReadonlyMap<string, number>;
  readonly maxNodes: ReadonlyMap<string, number>;
  /** The team's always-on machine; undefined: the cheapest that meets the deadline. */
  readonly machine: string | undefined;
  /** What Airflow itself, the OS and a local database take on that machine. */
  readonly machineReserve: MachineReserve;
  readonly prices: PriceSource;
  readonly deadlineHours: number | undefined;
  /** Spot price as a fraction of on-demand, for SPOT pools. */
  readonly spotFraction: number;
  /** A 1-year Savings Plan's price as a fraction of on-demand, shown for the always-on machine. */
  readonly savingsPlanFraction: number;
  readonly efsGiB: number;
  readonly fixedOverrides: ReadonlyMap<string, number>;
}

export interface PoolCost {
  readonly pool: string;
  readonly instanceType: string;
  readonly capacityType: "ON_DEMAND" | "SPOT";
  readonly peakNodes: number;
  /** Over a day: the run's nodes, and the pool's minimum for the rest of the day. */
  readonly nodeHoursPerDay: number;
  /** On-demand, or the spot estimate for a SPOT pool. */
  readonly usdPerHour: number | undefined;
  readonly utilisation: PoolUtilisation;
}

export interface PlatformSide {
  readonly result: ReplayResult;
  readonly pools: readonly PoolCost[];
  readonly systemPerNight: number | undefined;
  readonly fixed: readonly FixedCostLine[];
  readonly fixedPerMonth: number | undefined;
  /** Task pools + system nodes + a night's share of the fixed costs. */
  readonly costPerNight: number | undefined;
  readonly costPerMonth: number | undefined;
}

export interface BaselineSide {
  readonly instanceType: string;
  readonly how: string;
  readonly result: ReplayResult;
  readonly usdPerHour: number | undefined;
  readonly datadogPerMonth: number | undefined;
  readonly costPerNight: number | undefined;
  readonly savingsPlanPerNight: number | undefined;
  /** The Savings Plan price as a fraction of on-demand, for the report's label. */
  readonly savingsPlanFraction: number;
  readonly costPerMonth: number | undefined;
}

export interface NightlyReport {
  readonly workload: Workload;
  readonly criticalPath: CriticalPath;
  readonly platform: PlatformSide;
  readonly baseline: BaselineSide;
  readonly deadlineHours: number | undefined;
}

const DAY = 86400;
export const NIGHTS_PER_MONTH = HOURS_PER_MONTH / 24;

/** A night's failure to build a report from its inputs: said plainly, never a stack trace. */
export class NightlyInputError extends Error {}

function sum(values: readonly (number | undefined)[]): number | undefined {
  return values.some((v) => v === undefined) ? undefined : values.reduce<number>((a, b) => a + (b ?? 0), 0);
}

export function platformPools(config: EnvironmentConfig, assumptions: Pick<NightlyAssumptions, "minNodes" | "maxNodes">): ReplayPool[] {
  const fits = new Map(taskPoolFits(config).map((f) => [f.pool, f]));
  return taskPools(config).map((pool) => {
    const fit = fits.get(pool.name);
    if (!fit) throw new NightlyInputError(`${config.name}: no capacity data for the ${pool.name} pool's ${pool.settings.instanceTypes.join(", ")} (data/aws/instance-types.csv, or extraInstanceTypes)`);
    return { name: pool.name, room: fit.room, daemonsets: DAEMONSET_OVERHEAD, minNodes: assumptions.minNodes.get(pool.name) ?? pool.settings.minSize, maxNodes: assumptions.maxNodes.get(pool.name) ?? pool.settings.maxSize };
  });
}

/** The replay on the environment's pools, with each pool's billed hours, price and utilisation. */
export function replayPlatform(config: EnvironmentConfig, workload: Workload, assumptions: NightlyAssumptions): { result: ReplayResult; pools: PoolCost[] } {
  const pools = platformPools(config, assumptions);
  const result = replay(workload, pools, assumptions.replay);
  const known = ec2InstanceTypes(config.extraInstanceTypes);
  const settingsOf = new Map(taskPools(config).map((p) => [p.name, p.settings]));
  return {
    result,
    pools: pools.map((pool): PoolCost => {
      const settings = settingsOf.get(pool.name);
      const instanceType = settings?.instanceTypes[0] ?? "";
      const capacityType = settings?.capacityType ?? "ON_DEMAND";
      const onDemand = hourlyPrice(assumptions.prices, instanceType);
      const usage = result.pools.get(pool.name);
      const nodeHoursPerDay = ((usage?.nodeSeconds ?? 0) + pool.minNodes * Math.max(0, DAY - result.windowSeconds)) / 3600;
      return {
        pool: pool.name,
        instanceType,
        capacityType,
        peakNodes: usage?.peakNodes ?? 0,
        nodeHoursPerDay,
        usdPerHour: onDemand === undefined ? undefined : capacityType === "SPOT" ? onDemand * assumptions.spotFraction : onDemand,
        utilisation: poolUtilisation(workload, { name: pool.name, room: pool.room, vcpu: known.get(instanceType)?.vcpu ?? 0 }, usage?.nodeSeconds ?? 0, assumptions.replay.podStartSeconds),
      };
    }),
  };
}

function baselineFor(config: EnvironmentConfig, workload: Workload, assumptions: NightlyAssumptions): BaselineChoice {
  const known = ec2InstanceTypes(config.extraInstanceTypes);
  if (assumptions.machine !== undefined) {
    const instance = known.get(assumptions.machine);
    if (!instance) throw new NightlyInputError(`--machine ${assumptions.machine}: not an EC2 instance type this project knows (data/aws/instance-types.csv, or the environment's extraInstanceTypes); e.g. r6i.2xlarge`);
    return { instance, result: replayOnMachine(workload, instance, assumptions.machineReserve, assumptions.replay), usdPerHour: hourlyPrice(assumptions.prices, instance.type), how: "the team's machine (--machine)" };
  }
  const architecture = known.get(config.nodeGroups.tasks.instanceTypes[0])?.architecture;
  const deadline = assumptions.deadlineHours === undefined ? undefined : assumptions.deadlineHours * 3600;
  const chosen = smallestMachineInTime(workload, known, assumptions.prices, assumptions.machineReserve, assumptions.replay, deadline, architecture);
  if (!chosen) throw new NightlyInputError(`no always-on ${architecture ?? ""} machine with a price runs this export ${deadline === undefined ? "within a day" : "by the deadline"}; name the team's with --machine`);
  return chosen;
}

export function replayNight(config: EnvironmentConfig, workload: Workload, assumptions: NightlyAssumptions): NightlyReport {
  const { result, pools } = replayPlatform(config, workload, assumptions);
  const system = config.nodeGroups.system;
  const systemPrice = hourlyPrice(assumptions.prices, system.instanceTypes[0]);
  const systemPerNight = systemPrice === undefined ? undefined : system.minSize * 24 * (system.capacityType === "SPOT" ? assumptions.spotFraction : 1) * systemPrice;
  const zones = config.availabilityZones.length;
  const natGateways = config.network.existingVpc ? 0 : (config.network.natGateways ?? "perZone") === "perZone" ? zones : 1;
  const peakHosts = system.minSize + pools.reduce((n, p) => n + p.peakNodes, 0);
  const fixed = fixedCosts({
    region: assumptions.prices.region,
    natGateways,
    database: { instanceClass: config.database.instanceClass, multiAz: config.database.multiAz, allocatedStorageGiB: config.database.allocatedStorageGiB },
    efsGiB: assumptions.efsGiB,
    loadBalancers: 1,
    datadogHosts: peakHosts,
    overrides: assumptions.fixedOverrides,
  });
  const fixedPerMonth = fixedTotal(fixed);
  const tasksPerNight = sum(pools.map((p) => (p.usdPerHour === undefined ? undefined : p.nodeHoursPerDay * p.usdPerHour)));
  const platformPerNight = sum([tasksPerNight, systemPerNight, fixedPerMonth === undefined ? undefined : fixedPerMonth / NIGHTS_PER_MONTH]);

  const chosen = baselineFor(config, workload, assumptions);
  const datadogOne = fixedCosts({ ...emptyFixed(assumptions), datadogHosts: 1 });
  const datadogPerMonth = fixedTotal(datadogOne);
  const machineDay = chosen.usdPerHour === undefined ? undefined : 24 * chosen.usdPerHour;
  const datadogNight = datadogPerMonth === undefined ? undefined : datadogPerMonth / NIGHTS_PER_MONTH;
  const baselinePerNight = sum([machineDay, datadogNight]);
  return {
    workload,
    criticalPath: criticalPath(workload),
    platform: { result, pools, systemPerNight, fixed, fixedPerMonth, costPerNight: platformPerNight, costPerMonth: platformPerNight === undefined ? undefined : platformPerNight * NIGHTS_PER_MONTH },
    baseline: {
      instanceType: chosen.instance.type,
      how: chosen.how,
      result: chosen.result,
      usdPerHour: chosen.usdPerHour,
      datadogPerMonth,
      costPerNight: baselinePerNight,
      savingsPlanPerNight: machineDay === undefined ? undefined : sum([machineDay * assumptions.savingsPlanFraction, datadogNight]),
      savingsPlanFraction: assumptions.savingsPlanFraction,
      costPerMonth: baselinePerNight === undefined ? undefined : baselinePerNight * NIGHTS_PER_MONTH,
    },
    deadlineHours: assumptions.deadlineHours,
  };
}

/** Fixed-cost inputs with nothing in them, for pricing one line alone. */
function emptyFixed(assumptions: NightlyAssumptions) {
  return { region: assumptions.prices.region, natGateways: 0, efsGiB: 0, loadBalancers: 0, datadogHosts: undefined, overrides: assumptions.fixedOverrides };
}

import type { Workload } from "./workload";
import type { EnvironmentConfig } from "../../configuration/schema/environment-config";
import { taskPools } from "../../configuration/derived/task-pools";
import { replayPlatform, type NightlyAssumptions } from "./nightly-replay";
import { hoursMinutes } from "./nightly-report-format";

// The second packing lever: kube-scheduler's scoring cannot be changed on EKS, and without the
// task pod affinity its default (LeastAllocated) spreads pods over every node a pool has, so once a
// burst has added nodes every one keeps a task or two and none empties until the burst ends. The
// release's affinity packs pods onto the fullest node; what is left is the tail, long tasks alone on
// a node while a wave's nodes drain. A pool maximum sized to the night packs further: with fewer
// nodes, each is fuller, at the price of a later finish. This finds, pool by pool,
// the smallest maximum whose replay still finishes the margin before the deadline with no task
// queued past task_queued_timeout.

export interface PackingPlan {
  readonly maxNodes: ReadonlyMap<string, number>;
  readonly finishSeconds: number | undefined;
  readonly billedNodeHours: number;
  readonly floorNodeHours: number;
}

function outcome(config: EnvironmentConfig, workload: Workload, assumptions: NightlyAssumptions, maxNodes: ReadonlyMap<string, number>) {
  const { result, pools } = replayPlatform(config, workload, { ...assumptions, maxNodes });
  return {
    result,
    billed: pools.reduce((n, p) => n + p.utilisation.billedNodeHours, 0),
    floor: pools.reduce((n, p) => n + p.utilisation.floorNodeHours, 0),
  };
}

/** The smallest pool maximums that keep `marginSeconds` before the deadline; undefined without a deadline. */
export function packingPlan(config: EnvironmentConfig, workload: Workload, assumptions: NightlyAssumptions, marginSeconds: number): PackingPlan | undefined {
  if (assumptions.deadlineHours === undefined) return undefined;
  const latest = assumptions.deadlineHours * 3600 - marginSeconds;
  const maxNodes = new Map(assumptions.maxNodes);
  const fine = (max: ReadonlyMap<string, number>) => {
    const { result } = outcome(config, workload, assumptions, max);
    return result.finishSeconds !== undefined && result.finishSeconds <= latest && result.queuedPastTimeout.length === 0;
  };
  if (!fine(maxNodes)) return undefined;
  for (const pool of taskPools(config)) {
    const configured = maxNodes.get(pool.name) ?? pool.settings.maxSize;
    const floor = Math.max(1, assumptions.minNodes.get(pool.name) ?? pool.settings.minSize);
    for (let max = floor; max < configured; max++) {
      const trial = new Map([...maxNodes, [pool.name, max]]);
      if (fine(trial)) {
        maxNodes.set(pool.name, max);
        break;
      }
    }
  }
  const { result, billed, floor } = outcome(config, workload, assumptions, maxNodes);
  return { maxNodes, finishSeconds: result.finishSeconds, billedNodeHours: billed, floorNodeHours: floor };
}

export function formatPacking(config: EnvironmentConfig, workload: Workload, assumptions: NightlyAssumptions, marginSeconds: number): string {
  const plan = packingPlan(config, workload, assumptions, marginSeconds);
  if (!plan) return `\n  packing: no pool maximum leaves ${hoursMinutes(marginSeconds)} before the deadline (--margin-hours), or there is no deadline\n`;
  const now = outcome(config, workload, assumptions, assumptions.maxNodes);
  const flags = [...plan.maxNodes].filter(([pool, max]) => max !== (taskPools(config).find((p) => p.name === pool)?.settings.maxSize ?? max)).map(([pool, max]) => `--max ${pool}=${max}`);
  const ratio = (billed: number, floor: number) => `${(billed / Math.max(floor, 1e-9)).toFixed(2)}×`;
  return (
    `\n  packing (${assumptions.replay.placement === "pack" ? "task pods packed by their affinity; a maximum sized to the night packs further at the price of a later finish" : "LeastAllocated spreads pods over every node a pool has; a maximum sized to the night packs them"}): ` +
    `${flags.length > 0 ? flags.join(" ") : "the configured maximums"} finish${flags.length > 0 ? "" : "es"} ${plan.finishSeconds === undefined ? "never" : hoursMinutes(plan.finishSeconds)}, ` +
    `billing ${plan.billedNodeHours.toFixed(1)} node-hours, ${ratio(plan.billedNodeHours, plan.floorNodeHours)} the work floor ` +
    `(as configured: ${now.result.finishSeconds === undefined ? "never" : hoursMinutes(now.result.finishSeconds)}, ${now.billed.toFixed(1)} node-hours, ${ratio(now.billed, now.floor)}), ` +
    `keeping ${hoursMinutes(marginSeconds)} before the deadline (--margin-hours)\n`
  );
}

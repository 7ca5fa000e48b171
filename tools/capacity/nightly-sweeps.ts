import { ec2InstanceTypes } from "../../sizing/instance-data";
import type { Workload } from "./workload";
import type { EnvironmentConfig } from "../../configuration/schema/environment-config";
import { formatTable } from "./capacity-report";
import { taskPools } from "../../configuration/derived/task-pools";
import { replayPlatform, type NightlyAssumptions } from "./nightly-replay";
import { hoursMinutes, usd } from "./nightly-report-format";
import { applyInstanceTypes } from "./nightly-what-if";

// What-ifs in one table: the autoscaler's scale-down settings, the other placement, each pool's
// maximum and the tasks pool's instance size, one change at a time from the replay's own assumptions, each with its
// finish, billed node-hours against the work floor, and the task pools' cost per night.

export interface SweepRow {
  readonly change: string;
  readonly finishSeconds: number | undefined;
  readonly billedNodeHours: number;
  readonly floorNodeHours: number;
  /** Task pools only: what the change moves. */
  readonly usdPerNight: number | undefined;
}

interface Variant {
  readonly change: string;
  readonly config: EnvironmentConfig;
  readonly assumptions: NightlyAssumptions;
}

function variants(config: EnvironmentConfig, assumptions: NightlyAssumptions): Variant[] {
  const out: Variant[] = [{ change: "as assumed above", config, assumptions }];
  const settings = assumptions.replay;
  for (const delay of [0, 1, 5, 10]) {
    for (const unneeded of [1, 2, 5, 15]) {
      if (delay * 60 === settings.scaleDownDelayAfterAddSeconds && unneeded * 60 === settings.scaleDownUnneededSeconds) continue;
      out.push({ change: `scale-down-delay-after-add ${delay}m, scale-down-unneeded-time ${unneeded}m`, config, assumptions: { ...assumptions, replay: { ...settings, scaleDownDelayAfterAddSeconds: delay * 60, scaleDownUnneededSeconds: unneeded * 60 } } });
    }
  }
  const other = settings.placement === "pack" ? "least-allocated" : "pack";
  out.push({
    change: other === "pack" ? "--placement pack: task pods drawn to each other's nodes (the preferred pod affinity)" : "--placement least-allocated: no task pod affinity, the scheduler's default spreads",
    config,
    assumptions: { ...assumptions, replay: { ...settings, placement: other } },
  });
  for (const pool of taskPools(config)) {
    const configured = assumptions.maxNodes.get(pool.name) ?? pool.settings.maxSize;
    for (const max of [1, 2, 3, 4, 6, 8]) {
      if (max === configured || max < (assumptions.minNodes.get(pool.name) ?? pool.settings.minSize)) continue;
      out.push({ change: `--max ${pool.name}=${max} (configured ${configured})`, config, assumptions: { ...assumptions, maxNodes: new Map([...assumptions.maxNodes, [pool.name, max]]) } });
    }
  }
  const tasksType = config.nodeGroups.tasks.instanceTypes[0];
  const family = tasksType.slice(0, tasksType.indexOf("."));
  const known = ec2InstanceTypes(config.extraInstanceTypes);
  for (const size of ["large", "xlarge", "2xlarge", "4xlarge"]) {
    const type = `${family}.${size}`;
    if (type === tasksType || !known.has(type)) continue;
    const changed = applyInstanceTypes(config, new Map([["tasks", type]]), (message) => new Error(message));
    out.push({ change: `--instance-types tasks=${type} (max nodes scaled to the same vCPU)`, config: changed, assumptions: { ...assumptions, maxNodes: new Map([...assumptions.maxNodes, ["tasks", Math.max(1, Math.round(((assumptions.maxNodes.get("tasks") ?? config.nodeGroups.tasks.maxSize) * (known.get(tasksType)?.vcpu ?? 1)) / (known.get(type)?.vcpu ?? 1)))]]) } });
  }
  return out;
}

export function sweep(config: EnvironmentConfig, workload: Workload, assumptions: NightlyAssumptions): SweepRow[] {
  return variants(config, assumptions).map((v) => {
    const { result, pools } = replayPlatform(v.config, workload, v.assumptions);
    const cost = pools.reduce<number | undefined>((sum, p) => (sum === undefined || p.usdPerHour === undefined ? undefined : sum + p.usdPerHour * p.nodeHoursPerDay), 0);
    return {
      change: v.change,
      finishSeconds: result.finishSeconds,
      billedNodeHours: pools.reduce((n, p) => n + p.utilisation.billedNodeHours, 0),
      floorNodeHours: pools.reduce((n, p) => n + p.utilisation.floorNodeHours, 0),
      usdPerNight: cost,
    };
  });
}

export function formatSweeps(config: EnvironmentConfig, workload: Workload, assumptions: NightlyAssumptions): string {
  const rows = sweep(config, workload, assumptions);
  const deadline = assumptions.deadlineHours === undefined ? undefined : assumptions.deadlineHours * 3600;
  const table = [["what-if (one change)", "finishes", "to spare", "billed node-h", "÷ work floor", "task pools per night"]];
  for (const row of rows) {
    const spare = deadline === undefined || row.finishSeconds === undefined ? "—" : row.finishSeconds <= deadline ? hoursMinutes(deadline - row.finishSeconds) : `LATE ${hoursMinutes(row.finishSeconds - deadline)}`;
    table.push([row.change, row.finishSeconds === undefined ? "never" : hoursMinutes(row.finishSeconds), spare, row.billedNodeHours.toFixed(1), `${(row.billedNodeHours / Math.max(row.floorNodeHours, 1e-9)).toFixed(2)}×`, usd(row.usdPerNight)]);
  }
  return `\n  what-if sweep (--sweep): every pool's billed node-hours against the work floor, one change at a time\n${formatTable(table, "    ")}`;
}

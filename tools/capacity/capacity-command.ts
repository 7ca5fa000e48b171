import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { ExportError, parseDagExport, parseRunsExport, type DagExport, type ExportProblem, type RunsExport } from "./airflow-export";
import { EC2_PRICES_DATE, priceSourceFor, UnknownPriceRegion } from "./prices";
import { parseTriesExport, type TriesExport } from "./tries-export";
import { FIXED_ITEMS } from "./fixed-costs";
import { parseTaskMap } from "./task-map";
import { buildWorkload, type DurationStatistic, type TaskMap, type Workload, type WorkloadOptions } from "./workload";
import { DEFAULT_TASK_POOL } from "../../constructs/cluster/node-placement";
import { dataFile } from "../../lib/data-files";
import { numberDefaults, pairs, parseCapacityArguments, type Assumption, type CapacityArguments } from "./capacity-arguments";
import { capacityTables, formatTable } from "./capacity-report";
import type { EnvironmentConfig } from "../../configuration/schema/environment-config";
import { taskPools } from "../../configuration/derived/task-pools";
import { formatNightlyReport } from "./nightly-report-format";
import { NightlyInputError, replayNight, type NightlyAssumptions } from "./nightly-replay";
import { applyInstanceTypes } from "./nightly-what-if";
import { formatNights } from "./nightly-percentiles";
import { formatSweeps } from "./nightly-sweeps";
import { formatCalibration } from "./nightly-calibration";
import { formatPacking } from "./nightly-packing";
import { shippedPlacement } from "./shipped-placement";
import type { Placement } from "./scheduler-scoring";

// `capacity <env> [--dag tasks.json --runs taskInstances.json...] [--map map.json] [flags]`: the
// environment's capacity table, then its nightly run replayed from Airflow REST API exports and
// priced against one always-on machine. A function of argv and the environments, so the package's
// CLI and `npm run capacity` share it.

export interface CommandOutput {
  readonly stdout: string;
  readonly stderr: string;
  /** 0 done; 1 an input refused; 2 usage; 3 the replayed run misses its deadline or never finishes. */
  readonly exitCode: number;
}

export const CAPACITY_USAGE = `usage: capacity <environment> [--dag <tasks.json> --runs <taskInstances.json>...] [--map <task-map.json>]
  [--durations max|median] [--node-join-seconds N] [--pod-start-seconds N] [--scan-interval-seconds N]
  [--scale-down-unneeded-minutes N] [--scale-down-delay-after-add-minutes N] [--parallelism N]
  [--max-active-tasks N] [--task-queued-timeout-seconds N] [--airflow-pool <pool>=<slots>]...
  [--min <pool>=<nodes>]... [--max <pool>=<nodes>]... [--machine <instance type>]
  [--machine-reserve-cpu <millicores>] [--machine-reserve-memory <MiB>] [--price-region <region>]
  [--price <instance type>=<USD per hour>]... [--deadline-hours N] [--tries <tries.json>...]
  [--exported-at <ISO time>] [--spot-fraction F] [--savings-plan-fraction F] [--efs-gib N]
  [--fixed-price <item>=<USD per unit>]... [--instance-types <pool>=<type>[,<type>]]... [--placement pack|least-allocated] [--margin-hours N] [--sweep] [--calibrate]
Without --dag and --runs it replays examples/nightly-export.`;

class UsageError extends Error {}

const NO_EXPORT_NOTE =
  "No nightly run replayed: pass --dag <tasks.json> --runs <taskInstances.json>..., exports of Airflow's\n" +
  "GET /api/v2/dags/{dag_id}/tasks and GET /api/v2/dags/{dag_id}/dagRuns/{run_id}/taskInstances (or /api/v1).\n";

/** The example export shipped beside the package's data (a checkout has it; the npm package does not). */
export function exampleExportDirectory(): string {
  return dataFile("..", "examples", "nightly-export");
}

function number(args: CapacityArguments, flag: keyof ReturnType<typeof numberDefaults>, fallback: number): number {
  const given = args.values.get(flag);
  if (given === undefined) return fallback;
  const value = Number(given);
  if (!Number.isFinite(value) || value < 0) throw new UsageError(`${flag}: given ${given}; a number of 0 or more`);
  return value;
}

function readExports(args: CapacityArguments): { dag: DagExport; runs: RunsExport[]; tries: TriesExport[]; map?: TaskMap; source: string } {
  const example = exampleExportDirectory();
  const useExample = !args.values.has("--dag");
  if (useExample && !existsSync(example)) throw new UsageError(`no --dag and --runs given, and no example export at ${example}`);
  const dagFile = args.values.get("--dag") ?? join(example, "tasks.json");
  const runFiles = useExample ? readdirSync(join(example, "runs")).sort().map((f) => join(example, "runs", f)) : [...args.runs];
  const mapFile = args.values.get("--map") ?? (useExample ? join(example, "task-map.json") : undefined);
  const problems: ExportProblem[] = [];
  const read = <T>(file: string, parse: (file: string, text: string) => T): T | undefined => {
    const shown = relative(process.cwd(), file) || file;
    try {
      return parse(shown, readFileSync(file, "utf8"));
    } catch (error) {
      if (error instanceof ExportError) problems.push(...error.problems);
      else problems.push({ file: shown, path: "/", expected: `a readable file (${(error as Error).message})` });
      return undefined;
    }
  };
  const dag = read(dagFile, parseDagExport);
  const runs = runFiles.map((f) => read(f, parseRunsExport));
  const map = mapFile === undefined ? undefined : read(mapFile, parseTaskMap);
  const tries = args.tries.map((f) => read(f, parseTriesExport));
  if (problems.length > 0 || !dag) throw new ExportError(problems);
  const source = useExample ? `the example export in ${relative(process.cwd(), example)} (synthetic, shaped like the seed workload; pass --dag and --runs for your own)` : `${relative(process.cwd(), dagFile)} and ${runFiles.length} task-instance export${runFiles.length === 1 ? "" : "s"}`;
  return { dag, runs: runs.filter((r): r is RunsExport => r !== undefined), tries: tries.filter((t): t is TriesExport => t !== undefined), ...(map ? { map } : {}), source: `${source}${args.tries.length > 0 ? ` with ${args.tries.length} /tries export${args.tries.length === 1 ? "" : "s"}` : ""}` };
}

function placementOf(args: CapacityArguments): Placement {
  const given = args.values.get("--placement") ?? shippedPlacement();
  if (given !== "least-allocated" && given !== "pack") throw new UsageError(`--placement ${given}: pack (task pods drawn to each other's nodes) or least-allocated (kube-scheduler's default scoring alone, which spreads)`);
  return given;
}

function placementMeaning(placement: Placement, given: boolean): string {
  const shipped = placement === shippedPlacement() ? "the release's" : "not the release's";
  const how =
    placement === "pack"
      ? "task pods carry a preferred pod affinity to other task pods on the node, so kube-scheduler's default scoring (InterPodAffinity 2, LeastAllocated 1, BalancedAllocation 1) puts each on the fullest node with room"
      : "kube-scheduler's default scoring with no affinity (LeastAllocated, BalancedAllocation): pods spread over the nodes with room";
  return `${how} (${shipped}${given ? "; given" : ""})`;
}

function assumptionsFor(config: EnvironmentConfig, args: CapacityArguments, workload: Workload): { assumptions: NightlyAssumptions; printed: Assumption[] } {
  const defaults = numberDefaults(config);
  const printed: Assumption[] = [];
  const n = (flag: keyof typeof defaults) => {
    const value = number(args, flag, defaults[flag].value);
    printed.push({ flag, value: String(value), meaning: defaults[flag].meaning + (args.values.has(flag) ? " (given)" : "") });
    return value;
  };
  const integerPairs = (flag: "--min" | "--max" | "--airflow-pool") =>
    new Map([...pairs(args, flag)].map(([name, value]) => {
      if (!/^\d+$/.test(value)) throw new UsageError(`${flag} ${name}=${value}: a whole number`);
      return [name, Number(value)];
    }));
  const airflowPoolSlots = new Map([["default_pool", 128], ...integerPairs("--airflow-pool")]);
  const minNodes = integerPairs("--min");
  const maxNodes = integerPairs("--max");
  const poolNames = taskPools(config).map((p) => p.name);
  for (const name of [...minNodes.keys(), ...maxNodes.keys()]) if (!poolNames.includes(name)) throw new UsageError(`--min/--max ${name}: not a task pool of ${config.name} (${poolNames.join(", ")})`);
  const replay = {
    nodeJoinSeconds: n("--node-join-seconds"),
    podStartSeconds: n("--pod-start-seconds"),
    scanIntervalSeconds: Math.max(1, n("--scan-interval-seconds")),
    scaleDownUnneededSeconds: n("--scale-down-unneeded-minutes") * 60,
    scaleDownDelayAfterAddSeconds: n("--scale-down-delay-after-add-minutes") * 60,
    parallelism: n("--parallelism"),
    maxActiveTasks: n("--max-active-tasks"),
    taskQueuedTimeoutSeconds: n("--task-queued-timeout-seconds"),
    airflowPoolSlots,
    placement: placementOf(args),
  };
  printed.push({ flag: "--placement", value: placementOf(args), meaning: placementMeaning(placementOf(args), args.values.has("--placement")) });
  printed.push({ flag: "--airflow-pool", value: [...airflowPoolSlots].map(([p, s]) => `${p}=${s}`).join(" "), meaning: "Airflow pool slots (default_pool: Airflow's default_pool_task_slot_count; others unlimited unless given)" });
  const machineReserve = { cpuMillicores: n("--machine-reserve-cpu"), memoryMiB: n("--machine-reserve-memory") };
  const priceOverrides = new Map([...pairs(args, "--price")].map(([type, value]) => {
    if (!(Number(value) >= 0)) throw new UsageError(`--price ${type}=${value}: USD per hour`);
    return [type, Number(value)];
  }));
  const prices = priceSourceFor(config.account.region, args.values.get("--price-region"), priceOverrides);
  printed.push({ flag: "--price-region", value: prices.region, meaning: `on-demand Linux prices of ${prices.note}, as of ${EC2_PRICES_DATE}${priceOverrides.size > 0 ? `; --price ${[...priceOverrides].map(([t, u]) => `${t}=${u}`).join(" ")}` : ""}` });
  const durations = (args.values.get("--durations") ?? "max") as DurationStatistic;
  printed.unshift({ flag: "--durations", value: durations, meaning: `each task instance's ${durations === "max" ? "longest" : "median"} duration in the ${workload.runIds.length} runs` });
  const critical = config.observability.criticalDags.find((d) => d.dagId === workload.dagId);
  const givenDeadline = args.values.get("--deadline-hours");
  if (givenDeadline !== undefined && !(Number(givenDeadline) > 0)) throw new UsageError(`--deadline-hours: given ${givenDeadline}; hours, more than 0`);
  const deadlineHours = givenDeadline !== undefined ? Number(givenDeadline) : critical?.deadlineHours;
  printed.push({ flag: "--deadline-hours", value: deadlineHours === undefined ? "none" : String(deadlineHours), meaning: critical && !args.values.has("--deadline-hours") ? `observability.criticalDags: ${workload.dagId} must finish within ${critical.deadlineHours} h of its start` : "the run's deadline from its start" });
  const machine = args.values.get("--machine");
  printed.push({ flag: "--machine", value: machine ?? "(the cheapest in time)", meaning: machine ? "the team's always-on machine (given)" : "the always-on machine compared: the cheapest non-burstable one of the tasks pool's architecture whose replay of this export meets the deadline" });
  const fraction = (flag: "--spot-fraction" | "--savings-plan-fraction") => {
    const value = n(flag);
    if (value > 1) throw new UsageError(`${flag}: given ${value}; a fraction of the on-demand price, 0 to 1`);
    return value;
  };
  const spotFraction = fraction("--spot-fraction");
  const savingsPlanFraction = fraction("--savings-plan-fraction");
  const efsGiB = n("--efs-gib");
  n("--margin-hours");
  const fixedOverrides = new Map([...pairs(args, "--fixed-price")].map(([item, value]) => {
    if (!(FIXED_ITEMS as readonly string[]).includes(item)) throw new UsageError(`--fixed-price ${item}=${value}: one of ${FIXED_ITEMS.join(", ")}`);
    if (!(Number(value) >= 0)) throw new UsageError(`--fixed-price ${item}=${value}: USD per the item's unit`);
    return [item, Number(value)];
  }));
  printed.push({ flag: "--exported-at", value: args.values.get("--exported-at") ?? "(the latest time each run records)", meaning: "when the exports were taken: a task still running counts its time from start_date until then" });
  return { assumptions: { replay, minNodes, maxNodes, machine, machineReserve, prices, deadlineHours, spotFraction, savingsPlanFraction, efsGiB, fixedOverrides }, printed };
}

function reportFor(given: EnvironmentConfig, args: CapacityArguments): { text: string; late: boolean } {
  const config = applyInstanceTypes(given, pairs(args, "--instance-types"), (message) => new UsageError(message));
  const durations = args.values.get("--durations") ?? "max";
  if (durations !== "max" && durations !== "median") throw new UsageError(`--durations ${durations}: max or median`);
  if (!args.values.has("--dag") && !existsSync(exampleExportDirectory())) {
    // An installed package carries no example export: the tables, and how to replay a night.
    const tables = capacityTables(config, priceSourceFor(config.account.region, args.values.get("--price-region"), new Map()));
    return { text: [`Capacity of ${config.name}\n`, formatTable(tables.pools), formatTable(tables.rows.map(([label, value]) => [label, value])), "\n", NO_EXPORT_NOTE].join(""), late: false };
  }
  const exported = readExports(args);
  const exportedAt = args.values.get("--exported-at");
  const asOfMs = exportedAt === undefined ? undefined : Date.parse(exportedAt);
  if (asOfMs !== undefined && !Number.isFinite(asOfMs)) throw new UsageError(`--exported-at ${exportedAt}: an ISO date-time such as 2026-11-18T06:30:00Z`);
  const workloadOptions: WorkloadOptions = {
    durations,
    defaultPool: DEFAULT_TASK_POOL,
    defaultRequests: config.airflow.taskPod,
    sizes: new Map(Object.entries(config.airflow.taskSizes)),
    pools: taskPools(config).map((p) => p.name),
    ...(exported.map ? { map: exported.map } : {}),
    tries: exported.tries,
    ...(asOfMs === undefined ? {} : { asOfMs }),
  };
  const workload = buildWorkload(exported.dag, exported.runs, workloadOptions);
  const { assumptions, printed } = assumptionsFor(config, args, workload);
  const tables = capacityTables(config, assumptions.prices);
  const report = replayNight(config, workload, assumptions);
  const finish = report.platform.result.finishSeconds;
  const late = finish === undefined || (report.deadlineHours !== undefined && finish > report.deadlineHours * 3600);
  const text = [
    `Capacity of ${config.name}\n`,
    formatTable(tables.pools),
    formatTable(tables.rows.map(([label, value]) => [label, value])),
    "\n",
    formatNightlyReport(report, printed, exported.source),
    formatPacking(config, workload, assumptions, number(args, "--margin-hours", numberDefaults(config)["--margin-hours"].value) * 3600),
    formatNights(config, exported.dag, exported.runs, workloadOptions, assumptions),
    args.switches.has("--calibrate") || args.values.has("--machine") ? formatCalibration(config, exported.dag, exported.runs, workloadOptions, assumptions) : "",
    args.switches.has("--sweep") ? formatSweeps(config, workload, assumptions) : "",
  ].join("");
  return { text, late };
}

/** Runs the command for one environment (or every one given) and returns what it prints. */
export function runCapacityCommand(argv: readonly string[], environments: readonly EnvironmentConfig[]): CommandOutput {
  const args = parseCapacityArguments(argv);
  if ("error" in args) return { stdout: "", stderr: `${args.error}\n${CAPACITY_USAGE}\n`, exitCode: 2 };
  const selected = args.environment === undefined ? environments : environments.filter((e) => e.name === args.environment);
  if (selected.length === 0) return { stdout: "", stderr: `unknown environment ${args.environment}: one of ${environments.map((e) => e.name).join(", ")}\n`, exitCode: 2 };
  try {
    const reports = selected.map((config) => reportFor(config, args));
    return { stdout: reports.map((r) => r.text).join("\n"), stderr: "", exitCode: reports.some((r) => r.late) ? 3 : 0 };
  } catch (error) {
    if (error instanceof ExportError) return { stdout: "", stderr: `${error.message}\n`, exitCode: 1 };
    if (error instanceof UsageError || error instanceof UnknownPriceRegion) return { stdout: "", stderr: `${error.message}\n${CAPACITY_USAGE}\n`, exitCode: 2 };
    if (error instanceof NightlyInputError) return { stdout: "", stderr: `${error.message}\n`, exitCode: 1 };
    // No input should end in a stack trace: an unforeseen failure is said in one line, as a bug.
    return { stdout: "", stderr: `capacity failed: ${(error as Error).message ?? String(error)} (a bug in the capacity command: please report it with the command line)\n`, exitCode: 70 };
  }
}

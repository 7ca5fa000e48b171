import { AUTOSCALER_ARGS } from "../../constructs/autoscaler/cluster-autoscaler-release";
import { purchaseOption } from "./platform-prices";
import type { EnvironmentConfig } from "../../configuration/schema/environment-config";
import { airflowValuesFor } from "../../configuration/derived/airflow-values";

// The capacity command's flags: every assumption of the replay has one, with its default and
// where that default comes from, so the report can print them all.

export interface Assumption {
  readonly flag: string;
  readonly value: string;
  readonly meaning: string;
}

/** Flags that take one value; the command reads them as numbers or strings. */
export const VALUE_FLAGS = [
  "--dag", "--map", "--durations", "--node-join-seconds", "--pod-start-seconds", "--scan-interval-seconds",
  "--scale-down-unneeded-minutes", "--scale-down-delay-after-add-minutes", "--parallelism", "--max-active-tasks",
  "--task-queued-timeout-seconds", "--machine", "--machine-reserve-cpu", "--machine-reserve-memory", "--price-region", "--deadline-hours",
  "--spot-fraction", "--savings-plan-fraction", "--efs-gib", "--exported-at", "--margin-hours", "--placement",
] as const;
/** Flags that may be given more than once (`--min tasks=0 --min memory=1`). */
export const REPEATED_FLAGS = ["--min", "--max", "--price", "--airflow-pool", "--fixed-price", "--instance-types"] as const;
/** Flags that take no value. */
export const SWITCH_FLAGS = ["--sweep", "--calibrate"] as const;
export type SwitchFlag = (typeof SWITCH_FLAGS)[number];

export type ValueFlag = (typeof VALUE_FLAGS)[number];
export type RepeatedFlag = (typeof REPEATED_FLAGS)[number];

export interface CapacityArguments {
  readonly environment: string | undefined;
  readonly values: ReadonlyMap<ValueFlag, string>;
  readonly repeated: ReadonlyMap<RepeatedFlag, readonly string[]>;
  /** Files after `--runs`, up to the next flag. */
  readonly runs: readonly string[];
  /** Files after `--tries`: exports of the /tries endpoint. */
  readonly tries: readonly string[];
  readonly switches: ReadonlySet<SwitchFlag>;
}

/** `capacity <env> [--dag f] [--runs f...] [flags]`: the parsed arguments, or what is wrong with them. */
export function parseCapacityArguments(argv: readonly string[]): CapacityArguments | { readonly error: string } {
  let environment: string | undefined;
  const values = new Map<ValueFlag, string>();
  const repeated = new Map<RepeatedFlag, string[]>();
  const runs: string[] = [];
  const tries: string[] = [];
  const switches = new Set<SwitchFlag>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.startsWith("--") && arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    const take = () => inline ?? argv[++i];
    if (flag === "--runs" || flag === "--tries") {
      const list = flag === "--runs" ? runs : tries;
      if (inline !== undefined) list.push(inline);
      while (i + 1 < argv.length && !argv[i + 1].startsWith("--")) list.push(argv[++i]);
    } else if ((SWITCH_FLAGS as readonly string[]).includes(flag)) {
      switches.add(flag as SwitchFlag);
    } else if ((VALUE_FLAGS as readonly string[]).includes(flag)) {
      const value = take();
      if (value === undefined) return { error: `${flag} needs a value` };
      values.set(flag as ValueFlag, value);
    } else if ((REPEATED_FLAGS as readonly string[]).includes(flag)) {
      const value = take();
      if (value === undefined) return { error: `${flag} needs a value` };
      repeated.set(flag as RepeatedFlag, [...(repeated.get(flag as RepeatedFlag) ?? []), value]);
    } else if (flag.startsWith("--")) {
      return { error: `unknown flag ${flag}` };
    } else if (environment === undefined) {
      environment = arg;
    } else {
      return { error: `one environment at a time (given ${environment} and ${arg})` };
    }
  }
  if (values.has("--dag") !== runs.length > 0) return { error: "--dag and --runs go together: the DAG's tasks export and one or more task-instance exports" };
  if (tries.length > 0 && runs.length === 0) return { error: "--tries goes with --dag and --runs: the tries of the runs exported there" };
  return { environment, values, repeated, runs, tries, switches };
}

/** `name=value` pairs of a repeated flag. */
export function pairs(args: CapacityArguments, flag: RepeatedFlag): Map<string, string> {
  return new Map((args.repeated.get(flag) ?? []).map((pair) => [pair.slice(0, pair.indexOf("=")), pair.slice(pair.indexOf("=") + 1)]));
}

/** A Go duration of the autoscaler's flags (`10s`, `2m`, `1h`) in seconds. */
export function goDurationSeconds(value: string): number {
  const match = /^(\d+)(s|m|h)$/.exec(value);
  if (!match) throw new Error(`autoscaler setting ${value} is not a whole number of s, m or h`);
  return Number(match[1]) * { s: 1, m: 60, h: 3600 }[match[2] as "s" | "m" | "h"];
}
const minutes = (value: string) => goDurationSeconds(value) / 60;

/** Airflow settings the environment's chart values set, or Airflow's defaults. */
function airflowSetting(config: EnvironmentConfig, section: string, key: string): string | undefined {
  const settings = (airflowValuesFor(config).config ?? {}) as Record<string, Record<string, unknown>>;
  const value = settings[section]?.[key];
  return value === undefined ? undefined : String(value);
}

/** Each number assumption: its default for this environment and what it means. */
export function numberDefaults(config: EnvironmentConfig): Record<Exclude<ValueFlag, "--dag" | "--map" | "--durations" | "--machine" | "--price-region" | "--deadline-hours" | "--exported-at" | "--placement">, { value: number; meaning: string }> {
  const maxActive = airflowSetting(config, "core", "max_active_tasks_per_dag");
  const queuedTimeout = airflowSetting(config, "scheduler", "task_queued_timeout");
  return {
    "--node-join-seconds": { value: 210, meaning: "from the autoscaler's scan that asks for a node until a pod can start on it (EC2 boot, kubelet, image pull)" },
    "--pod-start-seconds": { value: 20, meaning: "from a pod's binding to its task running (container start, Airflow's task runner)" },
    "--scan-interval-seconds": { value: goDurationSeconds(AUTOSCALER_ARGS["scan-interval"]), meaning: "the autoscaler's scan-interval (the release's)" },
    "--scale-down-unneeded-minutes": { value: minutes(AUTOSCALER_ARGS["scale-down-unneeded-time"]), meaning: "an empty node goes after this long (the release's scale-down-unneeded-time)" },
    "--scale-down-delay-after-add-minutes": { value: minutes(AUTOSCALER_ARGS["scale-down-delay-after-add"]), meaning: "no scale-down this long after a scale-up (the release's scale-down-delay-after-add)" },
    "--parallelism": { value: config.airflow.parallelism * config.airflow.schedulerReplicas, meaning: `task instances at once: [core] parallelism ${config.airflow.parallelism} per scheduler × ${config.airflow.schedulerReplicas}` },
    "--max-active-tasks": { value: Number(maxActive ?? 16), meaning: maxActive ? "[core] max_active_tasks_per_dag from the chart values" : "[core] max_active_tasks_per_dag: Airflow's default, the chart values set none (a DAG's own max_active_tasks wins)" },
    "--task-queued-timeout-seconds": { value: Number(queuedTimeout ?? 600), meaning: `[scheduler] task_queued_timeout${queuedTimeout ? " from the chart values" : ": Airflow's default"}; a task queued longer is revoked and requeued, failed the third time` },
    "--machine-reserve-cpu": { value: 2500, meaning: "millicores the one machine keeps for Airflow itself (scheduler, API server, DAG processor, triggerer as this platform sizes them), the OS and a local PostgreSQL" },
    "--machine-reserve-memory": { value: 6144, meaning: "MiB the one machine keeps for the same" },
    "--spot-fraction": { value: purchaseOption("spot").usd, meaning: `a SPOT pool's price as a fraction of on-demand (${purchaseOption("spot").basis}: ${purchaseOption("spot").source})` },
    "--savings-plan-fraction": {
      value: purchaseOption("savings-plan-1yr-no-upfront").usd,
      meaning: `the always-on machine under a 1-year no-upfront Savings Plan, as a fraction of on-demand (${purchaseOption("savings-plan-1yr-no-upfront").basis}: ${purchaseOption("savings-plan-1yr-no-upfront").source})`,
    },
    "--margin-hours": { value: 2, meaning: "hours before the deadline the packing advice keeps free (pool maximums sized to the night)" },
    "--efs-gib": { value: 20, meaning: "GiB stored on the log file system (assumption: a few weeks of task logs at the example's volume)" },
  };
}

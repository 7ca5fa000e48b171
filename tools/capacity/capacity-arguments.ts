import { AUTOSCALER_ARGS } from "../../constructs/autoscaler/cluster-autoscaler-release";
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
] as const;
/** Flags that may be given more than once (`--min tasks=0 --min memory=1`). */
export const REPEATED_FLAGS = ["--min", "--max", "--price", "--airflow-pool"] as const;

export type ValueFlag = (typeof VALUE_FLAGS)[number];
export type RepeatedFlag = (typeof REPEATED_FLAGS)[number];

export interface CapacityArguments {
  readonly environment: string | undefined;
  readonly values: ReadonlyMap<ValueFlag, string>;
  readonly repeated: ReadonlyMap<RepeatedFlag, readonly string[]>;
  /** Files after `--runs`, up to the next flag. */
  readonly runs: readonly string[];
}

/** `capacity <env> [--dag f] [--runs f...] [flags]`: the parsed arguments, or what is wrong with them. */
export function parseCapacityArguments(argv: readonly string[]): CapacityArguments | { readonly error: string } {
  let environment: string | undefined;
  const values = new Map<ValueFlag, string>();
  const repeated = new Map<RepeatedFlag, string[]>();
  const runs: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.startsWith("--") && arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    const take = () => inline ?? argv[++i];
    if (flag === "--runs") {
      if (inline !== undefined) runs.push(inline);
      while (i + 1 < argv.length && !argv[i + 1].startsWith("--")) runs.push(argv[++i]);
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
  return { environment, values, repeated, runs };
}

/** `name=value` pairs of a repeated flag. */
export function pairs(args: CapacityArguments, flag: RepeatedFlag): Map<string, string> {
  return new Map((args.repeated.get(flag) ?? []).map((pair) => [pair.slice(0, pair.indexOf("=")), pair.slice(pair.indexOf("=") + 1)]));
}

function minutes(value: string): number {
  const match = /^(\d+)m$/.exec(value);
  if (!match) throw new Error(`autoscaler setting ${value} is not in minutes`);
  return Number(match[1]);
}

/** Airflow settings the environment's chart values set, or Airflow's defaults. */
function airflowSetting(config: EnvironmentConfig, section: string, key: string): string | undefined {
  const settings = (airflowValuesFor(config).config ?? {}) as Record<string, Record<string, unknown>>;
  const value = settings[section]?.[key];
  return value === undefined ? undefined : String(value);
}

/** Each number assumption: its default for this environment and what it means. */
export function numberDefaults(config: EnvironmentConfig): Record<Exclude<ValueFlag, "--dag" | "--map" | "--durations" | "--machine" | "--price-region" | "--deadline-hours">, { value: number; meaning: string }> {
  const maxActive = airflowSetting(config, "core", "max_active_tasks_per_dag");
  const queuedTimeout = airflowSetting(config, "scheduler", "task_queued_timeout");
  return {
    "--node-join-seconds": { value: 210, meaning: "from the autoscaler's scan that asks for a node until a pod can start on it (EC2 boot, kubelet, image pull)" },
    "--pod-start-seconds": { value: 20, meaning: "from a pod's binding to its task running (container start, Airflow's task runner)" },
    "--scan-interval-seconds": { value: 10, meaning: "the autoscaler's --scan-interval (its default; the release sets none)" },
    "--scale-down-unneeded-minutes": { value: minutes(AUTOSCALER_ARGS["scale-down-unneeded-time"]), meaning: "an empty node goes after this long (the release's scale-down-unneeded-time)" },
    "--scale-down-delay-after-add-minutes": { value: minutes(AUTOSCALER_ARGS["scale-down-delay-after-add"]), meaning: "no scale-down this long after a scale-up (the release's scale-down-delay-after-add)" },
    "--parallelism": { value: config.airflow.parallelism * config.airflow.schedulerReplicas, meaning: `task instances at once: [core] parallelism ${config.airflow.parallelism} per scheduler × ${config.airflow.schedulerReplicas}` },
    "--max-active-tasks": { value: Number(maxActive ?? 16), meaning: maxActive ? "[core] max_active_tasks_per_dag from the chart values" : "[core] max_active_tasks_per_dag: Airflow's default, the chart values set none (a DAG's own max_active_tasks wins)" },
    "--task-queued-timeout-seconds": { value: Number(queuedTimeout ?? 600), meaning: `[scheduler] task_queued_timeout${queuedTimeout ? " from the chart values" : ": Airflow's default"}; a task queued longer is revoked and requeued, failed the third time` },
    "--machine-reserve-cpu": { value: 2500, meaning: "millicores the one machine keeps for Airflow itself (scheduler, API server, DAG processor, triggerer as this platform sizes them), the OS and a local PostgreSQL" },
    "--machine-reserve-memory": { value: 6144, meaning: "MiB the one machine keeps for the same" },
  };
}

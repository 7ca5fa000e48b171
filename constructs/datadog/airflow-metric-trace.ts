import { airflowDatagram, airflowMetricsSettings, type AirflowMetricsSettings, type StatsCall } from "./airflow-statsd-client";
import { agentReceive, compileProfiles, type DatadogSeries } from "./dogstatsd-agent";
import { mappingsInUse, type MapperProfile } from "./mapper-profiles";
import { metricEmitters, versionAtLeast, type AirflowStat } from "./metric-emitters";

// Airflow's traced Stats calls (data/datadog/metric-emitters.yaml) run through the client Airflow
// is configured with and the agent's DogStatsD pipeline: what reaches Datadog, under which name,
// with which tags. The same functions feed validation and the UDP test, so both see one truth.

/** Example values for the `{x}` parts of legacy names and for tag values. */
export const SAMPLE_VALUES: Readonly<Record<string, string>> = {
  dag_id: "high_priorities",
  task_id: "load_orders",
  queue: "default",
  pool_name: "default_pool",
  run_type: "scheduled",
  status: "open",
  name: "KubernetesExecutor",
  operator: "PythonOperator",
  hostname: "airflow-triggerer-0",
  task_type: "PythonOperator",
  file_name: "high_priorities.py",
  state: "failed",
  job: "job",
};

function combinations(stat: AirflowStat, sample: Readonly<Record<string, string>>): Record<string, string>[] {
  const placeholders = [...stat.stat.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
  let rows: Record<string, string>[] = [{}];
  for (const key of placeholders) {
    const values = stat.values?.[key] ?? [sample[key] ?? key];
    rows = rows.flatMap((row) => values.map((value) => ({ ...row, [key]: value })));
  }
  return rows;
}

/** The concrete calls an entry stands for: one per combination of its listed values. */
export function sampleCalls(stat: AirflowStat, sample: Readonly<Record<string, string>> = SAMPLE_VALUES): StatsCall[] {
  return combinations(stat, sample).map((values) => {
    const tagValues = { ...sample, ...values };
    return {
      type: stat.type,
      stat: stat.stat.replace(/\{(\w+)\}/g, (_, key: string) => values[key] ?? key),
      value: stat.type === "timing" ? 28_800_000 : 1,
      float: stat.type === "timing",
      tags: Object.fromEntries(stat.tags.map((key) => [key, tagValues[key] ?? key])),
    };
  });
}

/** `dagrun.duration.{state}.{dag_id}` → `^dagrun\.duration\..+\..+$`, for `[metrics] metrics_block_list`. */
export function blockPattern(template: string): string {
  const escaped = template.split(/\{\w+\}/).map((part) => part.replace(/[.*+?^$()|[\]\\-]/g, (c) => (c === "-" ? "-" : `\\${c}`)));
  return `^${escaped.join(".+")}$`;
}

/** Block-list entries for every dotted legacy name that repeats a tagged metric. */
export function legacyTwinBlockList(): string[] {
  return metricEmitters().airflow.stats.filter((s) => s.legacyOf !== undefined).map((s) => blockPattern(s.stat));
}

export interface AirflowTraceOptions {
  /** The Airflow version the platform runs. */
  readonly airflowVersion: string;
  /** The chart values' `config.metrics` (Airflow's `[metrics]` section). */
  readonly metricsConfig: Readonly<Record<string, string>>;
  /** Every Airflow mapper profile; only those the sent names need are given to the agent. */
  readonly mapperProfiles: readonly MapperProfile[];
  readonly dogstatsdTags: readonly string[];
  readonly sample?: Readonly<Record<string, string>>;
}

export interface TracedDatagram {
  readonly stat: AirflowStat;
  readonly call: StatsCall;
  /** Undefined when the client sends nothing for the call. */
  readonly datagram: string | undefined;
}

/** Every traced call at the version and what the client sends for it. */
export function airflowDatagrams(options: AirflowTraceOptions, settings = airflowMetricsSettings(options.metricsConfig)): TracedDatagram[] {
  return metricEmitters()
    .airflow.stats.filter((stat) => versionAtLeast(options.airflowVersion, stat.since))
    .flatMap((stat) => sampleCalls(stat, options.sample).map((call) => ({ stat, call, datagram: airflowDatagram(call, settings) })));
}

/** The mapper profiles the agent needs for what this Airflow configuration sends. */
export function airflowMapperProfilesInUse(options: AirflowTraceOptions): MapperProfile[] {
  const names = airflowDatagrams(options).flatMap((d) => (d.datagram ? [d.datagram.slice(0, d.datagram.indexOf(":"))] : []));
  return mappingsInUse(options.mapperProfiles, names);
}

export interface AirflowSeries extends DatadogSeries {
  readonly stat: AirflowStat;
}

/** What Datadog stores for every traced call, through the client and the agent as configured. */
export function airflowSeries(options: AirflowTraceOptions, settings?: AirflowMetricsSettings): AirflowSeries[] {
  const profiles = compileProfiles(airflowMapperProfilesInUse(options));
  const agent = { mapperProfiles: [], dogstatsdTags: options.dogstatsdTags };
  return airflowDatagrams(options, settings).flatMap(({ stat, datagram }) =>
    datagram === undefined ? [] : agentReceive(datagram, agent, profiles).map((series) => ({ ...series, stat })),
  );
}

/** Series the same calls would make with a different Airflow version or `[metrics]` section. */
export function hypotheticalAirflowSeries(options: AirflowTraceOptions, change: { anyVersion?: boolean; metricsConfig?: Record<string, string> }): AirflowSeries[] {
  return airflowSeries({ ...options, airflowVersion: change.anyVersion ? "999.0.0" : options.airflowVersion, metricsConfig: change.metricsConfig ?? options.metricsConfig });
}

// What leaves an Airflow 3.1 process for one call of its Stats API, byte for byte: the client
// Airflow picks from `[metrics]` and the wire format of the library behind it.
//   - DogStatsD (statsd_datadog_enabled): airflow/metrics/datadog_logger.py SafeDogStatsdLogger
//     over datadogpy's DogStatsd(host, port, namespace=statsd_prefix, constant_tags=
//     statsd_datadog_tags); datagram from datadog/dogstatsd/base.py DogStatsd._serialize_metric:
//     `<namespace>.<name>:<value>|<type>[|@<rate>][|#<tags>][|c:<container id>]` and a newline.
//   - plain StatsD (statsd_on): airflow/metrics/statsd_logger.py SafeStatsdLogger over pystatsd's
//     StatsClient(host, port, prefix): `<prefix>.<name>:<value>|<type>`, no tags, no newline.
// Both drop a name the metrics allow/block list refuses (airflow/metrics/validators.py: each entry
// is a regular expression searched in the lower-cased name) and a name with characters outside
// [A-Za-z0-9_.-] or over 250 characters (stat_name_default_handler).

export type StatsdClientKind = "dogstatsd" | "statsd";

/** Airflow's `[metrics]` settings that decide what a process sends, with Airflow 3.1's defaults. */
export interface AirflowMetricsSettings {
  readonly client: StatsdClientKind | "none";
  readonly prefix: string;
  readonly allowList: readonly string[];
  readonly blockList: readonly string[];
  /** `statsd_disabled_tags`: tag keys matching any of these are not sent. */
  readonly disabledTags: readonly string[];
  /** `statsd_datadog_metrics_tags`: send the tags of each call at all. */
  readonly datadogMetricsTags: boolean;
  /** `statsd_datadog_tags`: tags the DogStatsD client adds to every datagram. */
  readonly constantTags: readonly string[];
}

function list(value: string | undefined): string[] {
  return (value ?? "").split(",").map((item) => item.trim().toLowerCase()).filter((item) => item.length > 0);
}

function isTrue(value: string | undefined, fallback: boolean): boolean {
  return value === undefined ? fallback : value.trim().toLowerCase() === "true";
}

/**
 * Reads the `[metrics]` section as Airflow does (airflow/stats.py picks DogStatsD first when
 * statsd_datadog_enabled is set, then plain StatsD when statsd_on is).
 * @see https://airflow.apache.org/docs/apache-airflow/stable/configurations-ref.html#metrics
 */
export function airflowMetricsSettings(metrics: Readonly<Record<string, string>>): AirflowMetricsSettings {
  const client = isTrue(metrics.statsd_datadog_enabled, false) ? "dogstatsd" : isTrue(metrics.statsd_on, false) ? "statsd" : "none";
  return {
    client,
    prefix: metrics.statsd_prefix ?? "airflow",
    allowList: list(metrics.metrics_allow_list),
    blockList: list(metrics.metrics_block_list),
    disabledTags: list(metrics.statsd_disabled_tags ?? "job_id,run_id"),
    datadogMetricsTags: isTrue(metrics.statsd_datadog_metrics_tags, true),
    constantTags: (metrics.statsd_datadog_tags ?? "").split(",").filter((tag) => tag.length > 0),
  };
}

/** One call of Airflow's Stats API: `Stats.incr`, `Stats.gauge` or `Stats.timing`/`Stats.timer`. */
export interface StatsCall {
  readonly type: "count" | "gauge" | "timing";
  readonly stat: string;
  /** What Python holds: an int or a float (timings are floats of milliseconds). */
  readonly value: number;
  readonly float?: boolean;
  readonly tags: Readonly<Record<string, string>>;
}

const ALLOWED_NAME = /^[A-Za-z0-9_.-]+$/;

function searched(entries: readonly string[], name: string): boolean {
  return entries.some((entry) => new RegExp(entry).test(name.trim().toLowerCase()));
}

/** Whether the allow/block list and the name check let the call through. */
export function airflowSendsStat(stat: string, settings: AirflowMetricsSettings): boolean {
  if (!ALLOWED_NAME.test(stat) || stat.length > 250) return false;
  if (settings.allowList.length > 0) return searched(settings.allowList, stat);
  return !searched(settings.blockList, stat);
}

/** Python's `"%s" % value`: ints bare, floats with at least one decimal. */
function pythonStr(value: number, float: boolean): string {
  if (!float) return String(Math.trunc(value));
  return Number.isInteger(value) ? `${value}.0` : String(value);
}

const DOGSTATSD_TYPE = { count: "c", gauge: "g", timing: "ms" } as const;

/**
 * The datagram Airflow sends for one call, or undefined when it sends nothing.
 * @param containerId what datadogpy's origin detection read from /proc/self/cgroup, if anything
 */
export function airflowDatagram(call: StatsCall, settings: AirflowMetricsSettings, containerId?: string): string | undefined {
  if (settings.client === "none" || !airflowSendsStat(call.stat, settings)) return undefined;
  const name = settings.prefix ? `${settings.prefix}.${call.stat}` : call.stat;
  const timing = call.type === "timing";
  if (settings.client === "statsd") {
    // pystatsd: timing '%0.6f|ms', gauge '%s|g', incr '%s|c'; SafeStatsdLogger passes no tags.
    const value = timing ? call.value.toFixed(6) : pythonStr(call.value, call.float ?? false);
    return `${name}:${value}|${DOGSTATSD_TYPE[call.type]}`;
  }
  const sent = settings.datadogMetricsTags
    ? Object.entries(call.tags).filter(([key]) => !searched(settings.disabledTags, key)).map(([key, value]) => `${key}:${value}`)
    : [];
  const tags = [...sent, ...settings.constantTags].map((tag) => tag.replace(/,/g, "_"));
  const value = pythonStr(call.value, timing || (call.float ?? false));
  return `${name}:${value}|${DOGSTATSD_TYPE[call.type]}${tags.length > 0 ? `|#${tags.join(",")}` : ""}${containerId ? `|c:${containerId}` : ""}\n`;
}

import { mapperRegex } from "./mapper-match";
import type { MapperProfile } from "./mapper-profiles";

export { mapperRegex };

// What the Datadog agent (7.81, DataDog/datadog-agent comp/dogstatsd) makes of a DogStatsD
// datagram, and what Datadog's intake stores, so a monitor's query can be checked against it:
//   1. parse `name:value|type|@rate|#tags|c:…` (server parse_metrics.go);
//   2. the first mapper profile whose prefix the name has, and in it the first mapping whose
//      pattern matches the whole name, renames it and adds its tags (mapper/mapper.go: a wildcard
//      `*` is `([^.]*)`, a pattern is anchored at both ends; `$n` takes the n-th group);
//   3. `dogstatsd_tags` are appended to every sample (server.go parseMetricMessage, extraTags);
//   4. timings and histograms are aggregated into `<name>.max`, `.median`, `.avg`, `.count` and
//      `.95percentile` (histogram_aggregates and histogram_percentiles defaults, pkg/config/setup);
//   5. the intake turns characters other than letters, digits, `_` and `.` into `_`.
// @see https://docs.datadoghq.com/developers/dogstatsd/datagram_shell/
// @see https://docs.datadoghq.com/metrics/custom_metrics/#naming-custom-metrics

/** A metric as Datadog stores it: its name and the `key:value` tags it carries. */
export interface DatadogSeries {
  readonly name: string;
  readonly tags: readonly string[];
  /** The DogStatsD type it arrived as. */
  readonly type: string;
}

export interface DogstatsdAgentConfig {
  readonly mapperProfiles: readonly MapperProfile[];
  /** `dogstatsd_tags` (the chart's `datadog.dogstatsd.tags`). */
  readonly dogstatsdTags: readonly string[];
}

interface CompiledMapping {
  readonly regex: RegExp;
  readonly name: string;
  readonly tags: readonly (readonly [string, string])[];
}

interface CompiledProfile {
  readonly prefix: string;
  readonly mappings: readonly CompiledMapping[];
}

/** regexp.ExpandString for `$1`, `${1}`. */
function expand(template: string, groups: RegExpExecArray): string {
  return template.replace(/\$\{(\d+)\}|\$(\d+)/g, (_, braced: string | undefined, bare: string | undefined) => groups[Number(braced ?? bare)] ?? "");
}

export function compileProfiles(profiles: readonly MapperProfile[]): readonly CompiledProfile[] {
  return profiles.map((profile) => ({
    prefix: profile.prefix,
    mappings: profile.mappings.map((m) => ({ regex: mapperRegex(m.match, m.match_type), name: m.name, tags: Object.entries(m.tags ?? {}) })),
  }));
}

/** mapper.go Map: the renamed metric and its added tags, or undefined when no mapping applies. */
export function mapMetricName(profiles: readonly CompiledProfile[], name: string): { readonly name: string; readonly tags: string[] } | undefined {
  for (const profile of profiles) {
    if (!name.startsWith(profile.prefix) && profile.prefix !== "*") continue;
    for (const mapping of profile.mappings) {
      const groups = mapping.regex.exec(name);
      if (groups) return { name: expand(mapping.name, groups), tags: mapping.tags.map(([key, value]) => `${key}:${expand(value, groups)}`) };
    }
    // The first profile whose prefix matches decides, mapped or not.
    return undefined;
  }
  return undefined;
}

const HISTOGRAM_SUFFIXES = ["max", "median", "avg", "count", "95percentile"] as const;

/** The intake's metric name normalization. */
export function intakeMetricName(name: string): string {
  return name.replace(/[^A-Za-z0-9_.]/g, "_");
}

/** Parses one DogStatsD metric line into name, type and tags. */
export function parseDatagramLine(line: string): { name: string; type: string; tags: string[] } {
  const colon = line.indexOf(":");
  if (colon <= 0) throw new Error(`dogstatsd: no name in ${JSON.stringify(line)}`);
  const [valueField, type, ...sections] = line.slice(colon + 1).split("|");
  if (valueField === undefined || type === undefined || !/^(c|g|ms|h|s|d)$/.test(type)) throw new Error(`dogstatsd: bad type in ${JSON.stringify(line)}`);
  const tags = sections.filter((s) => s.startsWith("#")).flatMap((s) => s.slice(1).split(",")).filter((t) => t.length > 0);
  return { name: line.slice(0, colon), type, tags };
}

/** Everything Datadog stores for one datagram (which may hold several lines). */
export function agentReceive(datagram: string, config: DogstatsdAgentConfig, compiled = compileProfiles(config.mapperProfiles)): DatadogSeries[] {
  return datagram
    .split("\n")
    .filter((line) => line.length > 0)
    .flatMap((line) => {
      const sample = parseDatagramLine(line);
      const mapped = mapMetricName(compiled, sample.name);
      const name = mapped?.name ?? sample.name;
      const tags = [...sample.tags, ...(mapped?.tags ?? []), ...config.dogstatsdTags];
      const names = sample.type === "ms" || sample.type === "h" ? HISTOGRAM_SUFFIXES.map((suffix) => `${name}.${suffix}`) : [name];
      return names.map((n) => ({ name: intakeMetricName(n), tags, type: sample.type }));
    });
}

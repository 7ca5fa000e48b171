import { airflowSeries, hypotheticalAirflowSeries, type AirflowTraceOptions } from "./airflow-metric-trace";
import { airflowMetricsSettings } from "./airflow-statsd-client";
import { metricEmitters, readMetricCsv, type AgentCheckEmitter, type AwsEmitter } from "./metric-emitters";

// Which metrics reach Datadog on this platform, what sends each and with which tags. A monitor or
// dashboard may query a metric only because something here sends it; see metric-emitters.yaml.

/** Tag keys a sender attaches; `undefined` values mean any value, a set means only those. */
export type TagValues = ReadonlyMap<string, ReadonlySet<string> | undefined>;

export interface MetricEmitter {
  /** What sends it, for errors and the trace report. */
  readonly source: string;
  readonly tags: TagValues;
  /** Set for a metric the environment declares itself, with its reason. */
  readonly declaredReason?: string;
}

/** A metric the environment declares because its own code or integration sends it. */
export interface DeclaredMetric {
  readonly metric: string;
  readonly tags: readonly string[];
  readonly reason: string;
}

export interface CatalogSettings extends AirflowTraceOptions {
  /** The agent's global tags (`datadog.tags`), which Datadog applies to all the agent sends. */
  readonly globalTags: readonly string[];
  /**
   * Node labels the agent turns into tags: on kube-state-metrics node metrics, and as host tags
   * (`datadog.nodeLabelsAsTags`) on everything a node's agent sends.
   */
  readonly nodeLabelTags: readonly string[];
  /** Keys of the AWS tags on the platform's AWS resources, which Datadog's AWS integration copies. */
  readonly awsResourceTagKeys: readonly string[];
  readonly declared: readonly DeclaredMetric[];
}

export interface MetricCatalog {
  emitters(metric: string): readonly MetricEmitter[];
  /** Why nothing sends a metric, in one clause. */
  whyNotSent(metric: string): string;
  /** Every metric something sends. */
  metrics(): readonly string[];
}

function tagMap(tags: readonly string[]): Map<string, Set<string> | undefined> {
  const map = new Map<string, Set<string> | undefined>();
  for (const tag of tags) {
    const colon = tag.indexOf(":");
    if (colon < 0) {
      map.set(tag, undefined);
      continue;
    }
    const key = tag.slice(0, colon);
    const known = map.get(key);
    if (map.has(key) && known === undefined) continue;
    map.set(key, new Set([...(known ?? []), tag.slice(colon + 1)]));
  }
  return map;
}

/** Tags the backend puts on everything the node agent sends under its hostname. */
function hostTags(settings: CatalogSettings): string[] {
  return ["host", "kube_cluster_name", ...settings.globalTags, ...settings.nodeLabelTags];
}

function resolveTags(tokens: readonly string[], settings: CatalogSettings): string[] {
  return tokens.flatMap((token) => {
    if (token === "$agentGlobalTags") return settings.globalTags;
    if (token === "$hostTags") return hostTags(settings);
    return token === "$awsResourceTags" ? settings.awsResourceTagKeys : [token];
  });
}

/** kube-state-metrics core documents each metric's tags in its description: "Tags:`a` `b`". */
export function documentedTags(description: string): string[] {
  const at = description.indexOf("Tags:");
  return at < 0 ? [] : [...description.slice(at).matchAll(/`([a-z_]+)`/g)].map((m) => m[1]);
}

function checkEmitters(check: AgentCheckEmitter, settings: CatalogSettings): [string, MetricEmitter][] {
  return readMetricCsv(check.list).map((row) => {
    const nodeTags = check.nodeLabelTags && row.metric_name.startsWith("kubernetes_state.node.") ? settings.nodeLabelTags : [];
    const tags = [...documentedTags(row.description ?? ""), ...resolveTags(check.tags, settings), ...nodeTags];
    return [row.metric_name, { source: `the agent's ${check.check} check (${check.configuredBy})`, tags: tagMap(tags) }];
  });
}

function awsEmitters(aws: AwsEmitter, settings: CatalogSettings, reasons: Map<string, string>): [string, MetricEmitter][] {
  return readMetricCsv(aws.list).flatMap((row): [string, MetricEmitter][] => {
    if (aws.sent.includes(row.availability)) {
      return [[row.metric_name, { source: `Datadog's AWS integration (${aws.namespace}, ${aws.list})`, tags: tagMap(resolveTags(aws.tags, settings)) }]];
    }
    reasons.set(row.metric_name, aws.notSent[row.availability] ?? `not sent for this platform's resources (${row.availability})`);
    return [];
  });
}

class Catalog implements MetricCatalog {
  private readonly byMetric = new Map<string, MetricEmitter[]>();
  readonly reasons = new Map<string, string>();

  add(metric: string, emitter: MetricEmitter): void {
    const list = this.byMetric.get(metric) ?? [];
    list.push(emitter);
    this.byMetric.set(metric, list);
  }

  emitters(metric: string): readonly MetricEmitter[] {
    return this.byMetric.get(metric) ?? [];
  }

  metrics(): readonly string[] {
    return [...this.byMetric.keys()].sort();
  }

  whyNotSent(metric: string): string {
    return (
      this.reasons.get(metric) ??
      "nothing this platform runs sends it (no Airflow Stats call, agent check or AWS integration in data/datadog/metric-emitters.yaml); if your own code sends it, declare it in observability.declaredMetrics with a reason"
    );
  }
}

function explainAirflow(catalog: Catalog, settings: CatalogSettings): void {
  const emitters = metricEmitters().airflow;
  for (const entry of emitters.notSent) for (const metric of entry.metrics) catalog.reasons.set(metric, entry.reason);
  const without = { ...settings.metricsConfig, metrics_block_list: "" };
  for (const series of hypotheticalAirflowSeries(settings, { metricsConfig: without })) {
    if (catalog.emitters(series.name).length === 0 && !catalog.reasons.has(series.name)) {
      catalog.reasons.set(series.name, `Airflow's ${series.stat.stat} is dropped by [metrics] metrics_block_list: its tagged twin ${series.stat.legacyOf ?? ""} is sent instead`);
    }
  }
  for (const series of hypotheticalAirflowSeries(settings, { anyVersion: true })) {
    if (catalog.emitters(series.name).length === 0 && !catalog.reasons.has(series.name)) {
      const evidence = series.stat.evidence ? ` (${series.stat.evidence})` : "";
      catalog.reasons.set(series.name, `Airflow sends ${series.stat.stat} only from ${series.stat.since}${evidence}; this platform runs Airflow ${settings.airflowVersion}`);
    }
  }
}

/** The catalog of one environment's settings. */
export function buildMetricCatalog(settings: CatalogSettings): MetricCatalog {
  const catalog = new Catalog();
  const emitters = metricEmitters();
  const host = hostTags(settings);
  const plain = airflowMetricsSettings(settings.metricsConfig).client !== "dogstatsd";
  const untagged = plain ? " over plain StatsD, which carries none of Airflow's own tags (observability.statsdClient dogstatsd sends them)" : "";
  for (const series of airflowSeries(settings)) {
    const source = `Airflow Stats ${series.stat.stat} (${series.stat.process}: ${series.stat.code})${untagged}`;
    // Airflow's and the mapper's tags carry any value; the agent's own carry exactly theirs.
    const own = series.tags.filter((tag) => !settings.dogstatsdTags.includes(tag)).map((tag) => tag.slice(0, tag.indexOf(":")));
    catalog.add(series.name, { source, tags: tagMap([...own, ...settings.dogstatsdTags, ...host]) });
  }
  for (const check of emitters.agentChecks) for (const [metric, emitter] of checkEmitters(check, settings)) catalog.add(metric, emitter);
  for (const aws of emitters.aws) for (const [metric, emitter] of awsEmitters(aws, settings, catalog.reasons)) catalog.add(metric, emitter);
  for (const declared of settings.declared) {
    catalog.add(declared.metric, { source: `declared in observability.declaredMetrics: ${declared.reason}`, tags: tagMap([...declared.tags, ...host]), declaredReason: declared.reason });
  }
  explainAirflow(catalog, settings);
  return catalog;
}

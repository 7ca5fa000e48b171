import { renderValue, type ConfigProblem } from "../../lib/config-error";
import type { MetricCatalog, MetricEmitter } from "./metric-catalog";
import { isParsed, parseMonitorQuery, type Comparator, type MetricTerm } from "./monitor-query";

export type Severity = "critical" | "warning";

/**
 * When a monitor is evaluated, for one that checks something at a time of day (a deadline)
 * rather than continuously.
 * @see https://docs.datadoghq.com/monitors/guide/custom_schedules/
 */
export interface MonitorSchedule {
  /** An RRULE without the time, e.g. `FREQ=DAILY;INTERVAL=1`. */
  readonly rrule: string;
  /** `HH:MM` in `timezone`. */
  readonly time: string;
  /** A tz database name, e.g. `Europe/Dublin`. */
  readonly timezone: string;
}

/**
 * A monitor as data: built by pure functions from the environment, checked against what really
 * sends its metrics and against its own thresholds, then handed to one `datadog_monitor`.
 */
export interface MonitorSpec {
  /** Stable construct id, e.g. `scheduler-heartbeat`. */
  readonly key: string;
  readonly name: string;
  /** Which Slack channel hears it, and whether it pages. */
  readonly severity: Severity;
  /** Datadog priority, 1 (highest) to 5. */
  readonly priority: 1 | 2 | 3 | 4 | 5;
  readonly query: string;
  readonly thresholds: { readonly critical: number; readonly warning?: number };
  /** What is wrong, in one sentence with template variables if useful. */
  readonly summary: string;
  /** What it affects: the pipeline, the deadline, the cluster. */
  readonly impact: string;
  /** The first thing the person on call should look at. */
  readonly firstCheck: string;
  /** Silence means trouble (a heartbeat that stops, an autoscaler that vanished). */
  readonly notifyNoData: boolean;
  /** @default 2 × the query window, when notifyNoData */
  readonly noDataMinutes?: number;
  /** @default - evaluated continuously */
  readonly schedule?: MonitorSchedule;
  /**
   * Counts events (a failed try, a failed run, a failed heartbeat): an empty window is 0, so the
   * alert recovers, and is sent as recovered, once the events have left the window. Such a
   * monitor never goes to NO DATA and has no no-data text. Its query must be a count
   * (`.as_count()`) for Datadog to evaluate an empty window as 0.
   * @see https://docs.datadoghq.com/monitors/guide/on_missing_data
   * @default false
   */
  readonly eventLike?: boolean;
  /**
   * Seconds Datadog waits before evaluating a window, for metrics that arrive late: AWS metrics
   * through the integration's crawler (Datadog recommends at least 900).
   * @see https://docs.datadoghq.com/monitors/guide/troubleshooting-no-data/
   * @default - none
   */
  readonly evaluationDelaySeconds?: number;
  /**
   * Evaluate only a window full of data: for "for the whole window" conditions (min over the
   * window), so something that started a minute ago is not judged on that minute alone.
   * @default false
   */
  readonly requireFullWindow?: boolean;
}

function warningOnCorrectSide(comparator: Comparator, critical: number, warning: number): boolean {
  return comparator === ">" || comparator === ">=" ? warning < critical : warning > critical;
}

/** `key:value` filters and `by` keys of a term, as what an emitter must carry. */
function requiredTags(term: MetricTerm): { readonly key: string; readonly value?: string; readonly use: string }[] {
  return [
    ...term.scope.map((filter) => {
      const colon = filter.indexOf(":");
      return { key: filter.slice(0, colon), value: filter.slice(colon + 1), use: `filters by ${filter}` };
    }),
    ...term.groupBy.map((key) => ({ key, use: `groups by ${key}` })),
  ];
}

function carries(emitter: MetricEmitter, tag: { key: string; value?: string }): boolean {
  if (!emitter.tags.has(tag.key)) return false;
  const values = emitter.tags.get(tag.key);
  return values === undefined || tag.value === undefined || values.has(tag.value);
}

function describeTags(emitter: MetricEmitter): string {
  return [...emitter.tags.entries()].map(([key, values]) => (values ? [...values].map((v) => `${key}:${v}`).join(", ") : key)).join(", ");
}

/** Problems with one term's metric: nothing sends it, or nothing sends it with the tags used. */
export function termProblems(label: string, term: MetricTerm, catalog: MetricCatalog): string[] {
  const emitters = catalog.emitters(term.metric);
  if (emitters.length === 0) return [`${label}: metric ${term.metric} is not sent on this platform: ${catalog.whyNotSent(term.metric)}`];
  const required = requiredTags(term);
  if (emitters.some((emitter) => required.every((tag) => carries(emitter, tag)))) return [];
  const [first] = emitters;
  const missing = required.filter((tag) => !emitters.some((emitter) => carries(emitter, tag)));
  const shown = missing.length > 0 ? missing : required;
  return shown.map(
    (tag) =>
      `${label}: ${tag.use}, but ${term.metric} arrives without ${tag.value !== undefined && first.tags.has(tag.key) ? `that value of ${tag.key}` : `the tag ${tag.key}`}: ` +
      `sent by ${first.source} with ${describeTags(first) || "no tags"}`,
  );
}

/** Everything wrong with a spec, as sentences naming the monitor; empty when it is sound. */
export function checkMonitorSpec(spec: MonitorSpec, catalog: MetricCatalog): string[] {
  const parsed = parseMonitorQuery(spec.query);
  if (!isParsed(parsed)) return [`monitor "${spec.name}": query does not parse: ${parsed.error}`];
  const problems = parsed.terms.flatMap((term) => termProblems(`monitor "${spec.name}"`, term, catalog));
  if (parsed.threshold !== spec.thresholds.critical) {
    problems.push(`monitor "${spec.name}": query threshold ${parsed.threshold} differs from the critical threshold ${spec.thresholds.critical}`);
  }
  if (spec.eventLike && (spec.notifyNoData || parsed.terms.some((term) => term.modifier !== "as_count"))) {
    problems.push(`monitor "${spec.name}": an event-like monitor counts: every term needs .as_count() and notifyNoData must be false, or an empty window is not 0 and it never recovers`);
  }
  const warning = spec.thresholds.warning;
  if (warning !== undefined && !warningOnCorrectSide(parsed.comparator, spec.thresholds.critical, warning)) {
    const side = parsed.comparator.startsWith(">") ? "below" : "above";
    problems.push(`monitor "${spec.name}": warning ${warning} must be ${side} critical ${spec.thresholds.critical} for "${parsed.comparator}"`);
  }
  return problems;
}

/** Every problem of every spec as configuration problems, each at `<monitors construct>/<key>`. */
export function monitorProblems(environment: string, constructPath: string, specs: readonly MonitorSpec[], catalog: MetricCatalog): ConfigProblem[] {
  return specs.flatMap((spec) =>
    checkMonitorSpec(spec, catalog).map((message) => ({
      environment,
      constructPath: `${constructPath}/${spec.key}`,
      field: `observability monitor ${spec.key}`,
      given: renderValue(spec.query),
      allowed: message,
    })),
  );
}

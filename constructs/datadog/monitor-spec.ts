import { renderValue, type ConfigProblem } from "../config-error";
import { knownMetrics, NOT_EMITTED_UNDER_KUBERNETES_EXECUTOR } from "./metric-catalog";
import { isParsed, parseMonitorQuery, type Comparator } from "./monitor-query";

export type Severity = "critical" | "warning";

/**
 * A monitor as data: built by pure functions from the environment, checked against the metric
 * catalog and its own thresholds, then handed to one `datadog_monitor`.
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
}

function warningOnCorrectSide(comparator: Comparator, critical: number, warning: number): boolean {
  return comparator === ">" || comparator === ">=" ? warning < critical : warning > critical;
}

/** Everything wrong with a spec, as sentences naming the monitor; empty when it is sound. */
export function checkMonitorSpec(spec: MonitorSpec, knownMetrics: ReadonlySet<string>): string[] {
  const parsed = parseMonitorQuery(spec.query);
  if (!isParsed(parsed)) return [`monitor "${spec.name}": query does not parse: ${parsed.error}`];
  const problems: string[] = [];
  for (const term of parsed.terms) {
    if (!knownMetrics.has(term.metric)) {
      problems.push(`monitor "${spec.name}": metric ${term.metric} is not in the Datadog metric lists (data/datadog)`);
    } else if (NOT_EMITTED_UNDER_KUBERNETES_EXECUTOR.has(term.metric)) {
      problems.push(`monitor "${spec.name}": metric ${term.metric} is not emitted under KubernetesExecutor; use airflow.ti.finish with state:failed`);
    }
  }
  if (parsed.threshold !== spec.thresholds.critical) {
    problems.push(`monitor "${spec.name}": query threshold ${parsed.threshold} differs from the critical threshold ${spec.thresholds.critical}`);
  }
  const warning = spec.thresholds.warning;
  if (warning !== undefined && !warningOnCorrectSide(parsed.comparator, spec.thresholds.critical, warning)) {
    const side = parsed.comparator.startsWith(">") ? "below" : "above";
    problems.push(`monitor "${spec.name}": warning ${warning} must be ${side} critical ${spec.thresholds.critical} for "${parsed.comparator}"`);
  }
  return problems;
}

/** Every problem of every spec as configuration problems, each at `<monitors construct>/<key>`. */
export function monitorProblems(environment: string, constructPath: string, specs: readonly MonitorSpec[]): ConfigProblem[] {
  return specs.flatMap((spec) =>
    checkMonitorSpec(spec, knownMetrics()).map((message) => ({
      environment,
      constructPath: `${constructPath}/${spec.key}`,
      field: `observability monitor ${spec.key}`,
      given: renderValue(spec.query),
      allowed: message,
    })),
  );
}

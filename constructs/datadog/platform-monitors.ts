import { Monitor } from "@cdktf/provider-datadog/lib/monitor";
import { ConfigError } from "../../lib/config-error";
import { Construct } from "../core";
import type { Duration } from "../../lib/units";
import type { MetricCatalog } from "./metric-catalog";
import { isParsed, parseMonitorQuery } from "./monitor-query";
import { monitorProblems, type MonitorSchedule, type MonitorSpec } from "./monitor-spec";
import { monitorMessage, monitorTags, type SlackRouting } from "./slack-routing";

export interface PlatformMonitorsProps {
  /** The environment, for error messages. */
  readonly environment: string;
  readonly monitors: readonly MonitorSpec[];
  /** What sends each metric on this platform; every monitor's metrics and tags are checked against it. */
  readonly catalog: MetricCatalog;
  readonly routing: SlackRouting;
  /**
   * How long before a critical alert that is still firing is sent again.
   * @default Duration.minutes(60)
   * @see https://docs.datadoghq.com/monitors/configuration/#renotify
   */
  readonly renotify?: Duration;
}

/** A fixed past start carries the time of day; the RRULE says which days. */
function customSchedule(schedule: MonitorSchedule) {
  return { customSchedule: { recurrence: { rrule: schedule.rrule, start: `2025-01-01T${schedule.time}:00`, timezone: schedule.timezone } } };
}

/**
 * How a monitor treats a window without data, and how long it waits for late data.
 * An event-like monitor evaluates an empty window as 0 (Datadog's default for a count query),
 * which resolves it and sends its recovery; the legacy notify_no_data=false would leave it in
 * NO DATA instead, and no recovery would reach Slack. The two settings exclude each other.
 * @see https://docs.datadoghq.com/monitors/guide/on_missing_data
 */
export function missingDataSettings(spec: MonitorSpec, windowMinutes: number) {
  return {
    notifyNoData: spec.eventLike ? undefined : spec.notifyNoData,
    onMissingData: spec.eventLike ? "default" : undefined,
    noDataTimeframe: spec.notifyNoData && !spec.eventLike ? spec.noDataMinutes ?? windowMinutes * 2 : undefined,
    evaluationDelay: spec.evaluationDelaySeconds,
  };
}

/**
 * One `datadog_monitor` per spec, after every spec has been checked: its query parses, something
 * on this platform sends every metric it names with the tags it uses, and its thresholds agree
 * with the query.
 */
export class PlatformMonitors extends Construct {
  constructor(scope: Construct, id: string, props: PlatformMonitorsProps) {
    super(scope, id);
    const problems = monitorProblems(props.environment, this.node.path, props.monitors, props.catalog);
    if (problems.length > 0) throw new ConfigError(problems);
    for (const spec of props.monitors) {
      const parsed = parseMonitorQuery(spec.query);
      const windowMinutes = isParsed(parsed) ? parsed.windowMinutes : 5;
      new Monitor(this, spec.key, {
        name: spec.name,
        type: "query alert",
        query: spec.query,
        message: monitorMessage(spec, props.routing),
        priority: String(spec.priority),
        tags: monitorTags(spec, props.routing),
        monitorThresholds: { critical: String(spec.thresholds.critical), warning: spec.thresholds.warning === undefined ? undefined : String(spec.thresholds.warning) },
        ...missingDataSettings(spec, windowMinutes),
        // A scheduled check is evaluated once a day: renotifying would repeat the same verdict.
        renotifyInterval: spec.severity === "critical" && !spec.schedule ? props.renotify?.toMinutes() ?? 60 : undefined,
        renotifyStatuses: spec.severity === "critical" && !spec.schedule ? ["alert", "no data"] : undefined,
        includeTags: true,
        requireFullWindow: spec.requireFullWindow ?? false,
        newGroupDelay: 60,
        schedulingOptions: spec.schedule ? customSchedule(spec.schedule) : undefined,
      });
    }
  }
}

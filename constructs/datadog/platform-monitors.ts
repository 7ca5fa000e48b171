import { Monitor } from "@cdktf/provider-datadog/lib/monitor";
import { ConfigError } from "../config-error";
import { Construct } from "../core";
import type { Duration } from "../units";
import { isParsed, parseMonitorQuery } from "./monitor-query";
import { monitorProblems, type MonitorSpec } from "./monitor-spec";
import { monitorMessage, monitorTags, type SlackRouting } from "./slack-routing";

export interface PlatformMonitorsProps {
  /** The environment, for error messages. */
  readonly environment: string;
  readonly monitors: readonly MonitorSpec[];
  readonly routing: SlackRouting;
  /**
   * How long before a critical alert that is still firing is sent again.
   * @default Duration.minutes(60)
   * @see https://docs.datadoghq.com/monitors/configuration/#renotify
   */
  readonly renotify?: Duration;
}

/**
 * One `datadog_monitor` per spec, after every spec has been checked: its query parses, every
 * metric it names is in the catalog, and its thresholds agree with the query.
 */
export class PlatformMonitors extends Construct {
  constructor(scope: Construct, id: string, props: PlatformMonitorsProps) {
    super(scope, id);
    const problems = monitorProblems(props.environment, this.node.path, props.monitors);
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
        notifyNoData: spec.notifyNoData,
        noDataTimeframe: spec.notifyNoData ? spec.noDataMinutes ?? windowMinutes * 2 : undefined,
        renotifyInterval: spec.severity === "critical" ? props.renotify?.toMinutes() ?? 60 : undefined,
        renotifyStatuses: spec.severity === "critical" ? ["alert", "no data"] : undefined,
        includeTags: true,
        requireFullWindow: false,
        newGroupDelay: 60,
      });
    }
  }
}

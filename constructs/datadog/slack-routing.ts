import type { MonitorSpec, Severity } from "./monitor-spec";

export interface SlackRouting {
  readonly environment: string;
  /** The Slack account name in Datadog's Slack integration. */
  readonly account: string;
  readonly channels: Readonly<Record<Severity, string>>;
  /** Added to critical alerts only, e.g. `@here`. @default - nobody is paged */
  readonly pageHandle?: string;
  readonly team: string;
}

/** `@slack-<account>-<channel>`, the handle Datadog's Slack integration routes on. */
export function slackHandle(routing: SlackRouting, severity: Severity): string {
  return `@slack-${routing.account}-${routing.channels[severity]}`;
}

/**
 * A message that says what is wrong, what it affects and the first thing to check; mentions the
 * channel for the monitor's severity on alert, warning and recovery; pages only on a critical
 * monitor's alert, and only where a page handle is configured (never in dev).
 */
export function monitorMessage(spec: MonitorSpec, routing: SlackRouting): string {
  const channel = slackHandle(routing, spec.severity);
  const page = spec.severity === "critical" && routing.pageHandle ? ` ${routing.pageHandle}` : "";
  return [
    "{{#is_alert}}",
    `${spec.summary}`,
    `Impact: ${spec.impact}`,
    `First check: ${spec.firstCheck}`,
    `${channel}${page}`,
    "{{/is_alert}}",
    "{{#is_warning}}",
    `Warning: ${spec.summary}`,
    `First check: ${spec.firstCheck}`,
    channel,
    "{{/is_warning}}",
    "{{#is_no_data}}",
    `No data for ${spec.name}: the metric stopped arriving, which for this monitor means trouble.`,
    `${channel}${page}`,
    "{{/is_no_data}}",
    "{{#is_recovery}}",
    `Recovered: ${spec.name}`,
    channel,
    "{{/is_recovery}}",
  ].join("\n");
}

export function monitorTags(spec: MonitorSpec, routing: SlackRouting): string[] {
  return [`env:${routing.environment}`, "service:airflow", `team:${routing.team}`, `severity:${spec.severity}`];
}

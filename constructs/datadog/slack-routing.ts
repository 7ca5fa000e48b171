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
 * A handle as Slack reads it: Datadog posts a monitor's text as it is, and Slack notifies the
 * channel only for its own `<!here>` and `<!channel>`; `@here` would arrive as plain text.
 * Other handles (`@pagerduty-…`, `@slack-…`) are Datadog's and stay as they are.
 * @see https://docs.datadoghq.com/integrations/slack/
 */
export function slackMention(handle: string): string {
  if (handle === "@here" || handle === "@channel" || handle === "@everyone") return `<!${handle.slice(1)}>`;
  return handle;
}

/**
 * A message that says what is wrong, what it affects and the first thing to check; mentions the
 * channel for the monitor's severity on alert, warning and recovery; pages only on a critical
 * monitor's alert, and only where a page handle is configured (never in dev).
 */
export function monitorMessage(spec: MonitorSpec, routing: SlackRouting): string {
  const channel = slackHandle(routing, spec.severity);
  const page = spec.severity === "critical" && routing.pageHandle ? ` ${slackMention(routing.pageHandle)}` : "";
  // An event-like monitor never goes to NO DATA (monitor-spec.ts eventLike); for the others, no
  // data is trouble only where the spec says so.
  const noData = spec.eventLike
    ? []
    : [
        "{{#is_no_data}}",
        spec.notifyNoData
          ? `No data for ${spec.name}: the metric stopped arriving, which for this monitor means trouble.`
          : `No data for ${spec.name}: nothing has sent its metric for a while.`,
        spec.notifyNoData ? `${channel}${page}` : channel,
        "{{/is_no_data}}",
      ];
  const recovered = spec.eventLike ? `Recovered: ${spec.name}: nothing new in the last window.` : `Recovered: ${spec.name}`;
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
    ...noData,
    "{{#is_recovery}}",
    recovered,
    channel,
    "{{/is_recovery}}",
  ].join("\n");
}

export function monitorTags(spec: MonitorSpec, routing: SlackRouting): string[] {
  return [`env:${routing.environment}`, "service:airflow", `team:${routing.team}`, `severity:${spec.severity}`];
}

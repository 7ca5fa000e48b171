import { z } from "zod";

// The `observability` section: who is told, where, and about which DAGs.

/** Slack channel names as Slack allows them: lowercase, digits, `-`, `_`, at most 80, no `#`. */
export const SLACK_CHANNEL_PATTERN = /^[a-z0-9][a-z0-9_-]{0,79}$/;
/** Days as RRULE BYDAY spells them. */
export const WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"] as const;

const timeOfDay = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "a time of day as HH:MM (24-hour)");

const slackChannel = z.string().regex(SLACK_CHANNEL_PATTERN, "a Slack channel name without '#': lowercase letters, digits, - and _ (at most 80)");

export const observabilitySchema = z
  .object({
    /** Datadog site the agent reports to. */
    datadogSite: z.enum(["datadoghq.com", "us3.datadoghq.com", "us5.datadoghq.com", "datadoghq.eu", "ap1.datadoghq.com", "ddog-gov.com"]).default("datadoghq.eu"),
    /** Existing Kubernetes Secret (namespace `datadog`) with the API key under `api-key`. */
    apiKeySecretName: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/).default("datadog-secret"),
    /**
     * The Datadog API key in Secrets Manager, put there by hand: the platform stack writes it into
     * the Secret `apiKeySecretName` in the agent's namespace, which the same apply creates, before
     * the agent's release. @default - the Secret is created by hand after the namespace exists
     */
    apiKeyFromSecretsManager: z
      .object({
        secretArn: z.string().regex(/^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[\w/+=.@-]+$/, "a Secrets Manager secret ARN"),
        /** The JSON key holding the API key, when the secret is a JSON object. @default - the whole secret string */
        jsonKey: z.string().min(1).optional(),
      })
      .strict()
      .optional(),
    team: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, "a Datadog tag value: lowercase letters, digits, - and _"),
    slack: z
      .object({
        /** The Slack account (workspace) name as configured in Datadog's Slack integration. */
        account: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, "the Slack account name in Datadog's Slack integration"),
        channels: z.object({ critical: slackChannel, warning: slackChannel }).strict(),
      })
      .strict(),
    /** Who else is paged by critical alerts, e.g. `@here` or `@pagerduty-airflow`. Never in dev. */
    pageHandle: z.string().regex(/^@[\w.-]+$/, "a Datadog notification handle such as @here or @pagerduty-airflow").optional(),
    /**
     * DAGs whose failure or lateness is critical: a run may take `deadlineHours`, and where a time
     * of day matters, a successful run must have finished by `finishBy` (and started by
     * `startBy`) in `timezone`, on `days`.
     */
    criticalDags: z
      .array(
        z
          .object({
            dagId: z.string().regex(/^[\w.-]+$/, "an Airflow DAG id"),
            /** How long one run may take, start to success. */
            deadlineHours: z.number().positive().max(48),
            /** Time of day (HH:MM) by which a run must have succeeded. @default - no time-of-day check */
            finishBy: timeOfDay.optional(),
            /** Time of day (HH:MM) by which the day's scheduled run must have started. @default - no check */
            startBy: timeOfDay.optional(),
            /** tz database name for finishBy and startBy, e.g. Europe/Dublin. */
            timezone: z.string().default("UTC"),
            /** Days the DAG must meet finishBy and startBy. @default every day */
            days: z.array(z.enum(WEEKDAYS)).min(1).optional(),
          })
          .strict(),
      )
      .default([{ dagId: "high_priorities", deadlineHours: 8, timezone: "UTC" }]),
    /** A task running longer than this is reported. */
    longTaskHours: z.number().positive().max(48).default(3),
    /**
     * Airflow's StatsD client. `dogstatsd` (`[metrics] statsd_datadog_enabled`) sends Airflow's own
     * tags (dag_id, task_id, pool_name, ...), which per-task monitors need; its `datadog` Python
     * package is not in the stock apache/airflow image. `statsd` sends dotted names only; the
     * mapper profiles recover some tags, and monitors that need Airflow's tags are refused.
     */
    statsdClient: z.enum(["dogstatsd", "statsd"]).default("dogstatsd"),
    /**
     * Metrics the environment's own code or integrations send, which data/datadog does not trace;
     * a custom monitor may use one only once it is declared here, with its tags and why it exists.
     */
    declaredMetrics: z
      .array(
        z
          .object({
            metric: z.string().regex(/^[a-zA-Z][a-zA-Z0-9_.]*$/, "a Datadog metric name"),
            /** Tag keys it arrives with, beyond the agent's host tags. */
            tags: z.array(z.string().regex(/^[a-z][\w./-]*$/, "a tag key")).default([]),
            reason: z.string().trim().min(20, "a reason of at least 20 characters: what sends it and why it is not traced"),
          })
          .strict(),
      )
      .default([]),
    /** The team's own metric monitors, checked against the metric catalog like the built-in ones. */
    customMonitors: z
      .array(
        z
          .object({
            key: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "a short id: lowercase letters, digits and -"),
            name: z.string().min(1),
            severity: z.enum(["critical", "warning"]),
            priority: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(5)]).default(3),
            query: z.string().min(1),
            critical: z.number(),
            warning: z.number().optional(),
            summary: z.string().min(1),
            impact: z.string().min(1),
            firstCheck: z.string().min(1),
            notifyNoData: z.boolean().default(false),
          })
          .strict(),
      )
      .default([]),
  })
  .strict();

export type ObservabilitySettings = z.output<typeof observabilitySchema>;

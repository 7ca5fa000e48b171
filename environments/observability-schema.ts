import { z } from "zod";

// The `observability` section: who is told, where, and about which DAGs.

/** Slack channel names as Slack allows them: lowercase, digits, `-`, `_`, at most 80, no `#`. */
export const SLACK_CHANNEL_PATTERN = /^[a-z0-9][a-z0-9_-]{0,79}$/;
const slackChannel = z.string().regex(SLACK_CHANNEL_PATTERN, "a Slack channel name without '#': lowercase letters, digits, - and _ (at most 80)");

export const observabilitySchema = z
  .object({
    /** Datadog site the agent reports to. */
    datadogSite: z.enum(["datadoghq.com", "us3.datadoghq.com", "us5.datadoghq.com", "datadoghq.eu", "ap1.datadoghq.com", "ddog-gov.com"]).default("datadoghq.eu"),
    /** Existing Kubernetes Secret (namespace `datadog`) with the API key under `api-key`. */
    apiKeySecretName: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/).default("datadog-secret"),
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
    /** DAGs whose failure or lateness is critical, with the hours they must finish in. */
    criticalDags: z
      .array(
        z
          .object({
            dagId: z.string().regex(/^[\w.-]+$/, "an Airflow DAG id"),
            deadlineHours: z.number().positive().max(48),
          })
          .strict(),
      )
      .default([{ dagId: "high_priorities", deadlineHours: 8 }]),
    /** A task running longer than this is reported. */
    longTaskHours: z.number().positive().max(48).default(3),
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

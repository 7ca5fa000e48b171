import { clusterMonitors } from "../../constructs/datadog/cluster-monitors";
import { databaseMonitors } from "../../constructs/datadog/database-monitors";
import type { MonitorContext } from "../../constructs/datadog/monitor-context";
import type { MonitorSpec } from "../../constructs/datadog/monitor-spec";
import { pipelineMonitors } from "../../constructs/datadog/pipeline-monitors";
import type { SlackRouting } from "../../constructs/datadog/slack-routing";
import { taskPoolMonitors } from "../../constructs/datadog/task-pool-monitors";
import { DEFAULT_TASK_POOL } from "../../constructs/cluster/node-placement";
import { taskPools } from "./task-pools";
import type { EnvironmentConfig } from "../config";
import { logFileSystemName, metadataDatabaseIdentifier } from "./resource-names";

export function monitorContextFor(config: EnvironmentConfig): MonitorContext {
  return {
    environment: config.name,
    clusterName: config.clusterName,
    airflowNamespace: config.airflow.namespace,
    tasksMaxNodes: config.nodeGroups.tasks.maxSize,
    database: {
      identifier: metadataDatabaseIdentifier(config),
      maxConnections: config.database.maxConnections,
      allocatedStorageGiB: config.database.allocatedStorageGiB,
    },
    logFileSystemName: logFileSystemName(config),
    criticalDags: config.observability.criticalDags,
    longTaskHours: config.observability.longTaskHours,
  };
}

/** Every monitor of an environment; pure, so it is checked before anything is synthesized. */
export function monitorSpecsFor(config: EnvironmentConfig): MonitorSpec[] {
  const context = monitorContextFor(config);
  const custom = config.observability.customMonitors.map(
    (m): MonitorSpec => ({
      key: `custom-${m.key}`,
      name: `[${config.name}] ${m.name}`,
      severity: m.severity,
      priority: m.priority,
      query: m.query,
      thresholds: m.warning === undefined ? { critical: m.critical } : { critical: m.critical, warning: m.warning },
      summary: m.summary,
      impact: m.impact,
      firstCheck: m.firstCheck,
      notifyNoData: m.notifyNoData,
    }),
  );
  const extraPools = taskPools(config)
    .filter((pool) => pool.name !== DEFAULT_TASK_POOL)
    .map((pool) => ({ pool: pool.name, maxSize: pool.settings.maxSize }));
  return [...pipelineMonitors(context), ...clusterMonitors(context), ...taskPoolMonitors(context, extraPools), ...databaseMonitors(context), ...custom];
}

/** Dev never pages, whatever its file says (the rules reject a page handle there too). */
export function slackRoutingFor(config: EnvironmentConfig): SlackRouting {
  const { observability } = config;
  return {
    environment: config.name,
    account: observability.slack.account,
    channels: observability.slack.channels,
    pageHandle: config.stage === "dev" ? undefined : observability.pageHandle,
    team: observability.team,
  };
}

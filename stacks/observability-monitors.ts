import { clusterMonitors } from "../constructs/datadog/cluster-monitors";
import { databaseMonitors } from "../constructs/datadog/database-monitors";
import type { MonitorContext } from "../constructs/datadog/monitor-context";
import type { MonitorSpec } from "../constructs/datadog/monitor-spec";
import { pipelineMonitors } from "../constructs/datadog/pipeline-monitors";
import type { SlackRouting } from "../constructs/datadog/slack-routing";
import type { EnvironmentConfig } from "../environments/config";
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
  return [...pipelineMonitors(context), ...clusterMonitors(context), ...databaseMonitors(context)];
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

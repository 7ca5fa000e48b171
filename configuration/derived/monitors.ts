import type { ConfigProblem } from "../../lib/config-error";
import { clusterMonitors } from "../../constructs/datadog/cluster-monitors";
import { databaseMonitors } from "../../constructs/datadog/database-monitors";
import type { MonitorContext } from "../../constructs/datadog/monitor-context";
import { monitorProblems, type MonitorSpec } from "../../constructs/datadog/monitor-spec";
import { dashboardDefinition, dashboardProblems } from "../../constructs/datadog/platform-dashboard";
import { pipelineMonitors } from "../../constructs/datadog/pipeline-monitors";
import type { SlackRouting } from "../../constructs/datadog/slack-routing";
import { taskPoolMonitors } from "../../constructs/datadog/task-pool-monitors";
import { DEFAULT_TASK_POOL } from "../../constructs/cluster/node-placement";
import { taskPools } from "./task-pools";
import type { EnvironmentConfig } from "../schema/environment-config";
import { constructPathForField, OBSERVABILITY_IDS, observabilityStackName, stackPath } from "./construct-paths";
import { metricCatalogFor } from "./metric-catalog";
import { logFileSystemName, metadataDatabaseIdentifier } from "./resource-names";

export function monitorContextFor(config: EnvironmentConfig): MonitorContext {
  return {
    environment: config.name,
    clusterName: config.clusterName,
    airflowNamespace: config.airflow.namespace,
    taskNamespace: config.airflow.taskNamespace,
    tasksMaxNodes: config.nodeGroups.tasks.maxSize,
    database: {
      identifier: metadataDatabaseIdentifier(config),
      maxConnections: config.database.maxConnections,
      allocatedStorageGiB: config.database.allocatedStorageGiB,
    },
    logFileSystemName: logFileSystemName(config),
    criticalDags: config.observability.criticalDags,
    longTaskHours: config.observability.longTaskHours,
    airflowTags: config.observability.statsdClient === "dogstatsd",
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

/** A declared metric something already sends is a stale declaration: it would hide the real trace. */
function declaredMetricProblems(config: EnvironmentConfig): ConfigProblem[] {
  const catalog = metricCatalogFor(config);
  return config.observability.declaredMetrics.flatMap((declared, i) => {
    const traced = catalog.emitters(declared.metric).filter((emitter) => emitter.declaredReason === undefined);
    if (traced.length === 0) return [];
    return [
      {
        environment: config.name,
        constructPath: constructPathForField(config.name, ["observability", "declaredMetrics"]),
        field: `observability.declaredMetrics.${i}.metric`,
        given: JSON.stringify(declared.metric),
        allowed: `a metric nothing traced sends; ${declared.metric} is already sent by ${traced[0].source}: remove the declaration`,
      },
    ];
  });
}

/**
 * Every problem of what the environment asks of Datadog: each monitor's and the dashboard's
 * metrics must be sent by something on this platform, with the tags they filter and group by.
 */
export function observabilityProblems(config: EnvironmentConfig): ConfigProblem[] {
  const catalog = metricCatalogFor(config);
  const stack = stackPath(config.name, observabilityStackName(config.name));
  return [
    ...declaredMetricProblems(config),
    ...monitorProblems(config.name, `${stack}/${OBSERVABILITY_IDS.monitors}`, monitorSpecsFor(config), catalog),
    ...dashboardProblems(config.name, `${stack}/${OBSERVABILITY_IDS.dashboard}`, dashboardDefinition(monitorContextFor(config)), catalog),
  ];
}

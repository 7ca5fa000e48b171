import { AIRFLOW_RELEASE_NAME } from "../airflow/chart-versions";
import { pgbouncerName } from "../airflow/pgbouncer-config";
import { clusterScope, deploymentDownQuery, type MonitorContext } from "./monitor-context";
import type { MonitorSpec } from "./monitor-spec";

const GiB = 1024 ** 3;
/**
 * AWS metrics reach Datadog through its integration's CloudWatch crawler, minutes late: a window
 * evaluated at once is often empty. Datadog recommends at least 900 s for crawler metrics.
 * @see https://docs.datadoghq.com/monitors/guide/troubleshooting-no-data/
 */
export const CRAWLER_EVALUATION_DELAY_SECONDS = 900;

/**
 * The metadata database and the task-log file system, from Datadog's AWS integration, and
 * PgBouncer in front of the database, from Datadog's PgBouncer check and kube-state-metrics.
 */
export function databaseMonitors(c: MonitorContext): MonitorSpec[] {
  const db = `dbinstanceidentifier:${c.database.identifier}`;
  const storage = c.database.allocatedStorageGiB * GiB;
  const connections = c.database.maxConnections;
  const pgbouncer = pgbouncerName(AIRFLOW_RELEASE_NAME);
  return [
    {
      key: "rds-cpu",
      name: `[${c.environment}] Metadata database CPU is high`,
      severity: "critical",
      priority: 2,
      query: `avg(last_15m):avg:aws.rds.cpuutilization{${db}} > 90`,
      evaluationDelaySeconds: CRAWLER_EVALUATION_DELAY_SECONDS,
      thresholds: { critical: 90, warning: 75 },
      summary: "The metadata database has used more than 90% CPU for 15 minutes.",
      impact: "Every scheduler loop and task state change slows down.",
      firstCheck: "Performance Insights' top SQL, then the scheduler count and parsing intervals.",
      notifyNoData: false,
    },
    {
      key: "rds-free-storage",
      name: `[${c.environment}] Metadata database is running out of storage`,
      severity: "critical",
      priority: 2,
      query: `min(last_15m):min:aws.rds.free_storage_space{${db}} < ${Math.round(storage * 0.1)}`,
      evaluationDelaySeconds: CRAWLER_EVALUATION_DELAY_SECONDS,
      thresholds: { critical: Math.round(storage * 0.1), warning: Math.round(storage * 0.2) },
      summary: "Less than 10% of the allocated storage is free.",
      impact: "When storage runs out the database stops accepting writes and Airflow stops.",
      firstCheck: "Whether storage autoscaling hit its ceiling, and `airflow db clean` for old task instances.",
      notifyNoData: false,
    },
    {
      key: "rds-connections",
      name: `[${c.environment}] Metadata database connections near max_connections`,
      severity: "critical",
      priority: 2,
      query: `max(last_10m):max:aws.rds.database_connections{${db}} > ${Math.floor(connections * 0.9)}`,
      evaluationDelaySeconds: CRAWLER_EVALUATION_DELAY_SECONDS,
      thresholds: { critical: Math.floor(connections * 0.9), warning: Math.floor(connections * 0.8) },
      summary: `More than 90% of max_connections (${connections}) are in use.`,
      impact: "New connections fail with 'too many clients already': tasks and the scheduler error out.",
      firstCheck: "Connections that bypass PgBouncer (pg_stat_activity by client address).",
      notifyNoData: false,
    },
    {
      key: "pgbouncer-client-wait",
      name: `[${c.environment}] Airflow is waiting on PgBouncer for database connections`,
      severity: "critical",
      priority: 2,
      query: `max(last_10m):max:pgbouncer.pools.maxwait{${clusterScope(c, `kube_namespace:${c.airflowNamespace}`)}} > 30`,
      thresholds: { critical: 30, warning: 10 },
      summary: "A client of PgBouncer has waited more than 30 seconds for a server connection.",
      impact: "The scheduler and running tasks stall on every database call, then fail on timeouts.",
      firstCheck:
        "The PgBouncer pods' logs (`pgbouncer-supervisor: … reloading` after a rotation of Airflow's password, server login errors), then its pool sizes against the load: pgbouncer.pools.cl_waiting and sv_active by db.",
      notifyNoData: false,
    },
    {
      key: "pgbouncer-down",
      name: `[${c.environment}] PgBouncer is not running`,
      severity: "critical",
      priority: 1,
      query: deploymentDownQuery(c, c.airflowNamespace, pgbouncer),
      thresholds: { critical: 1 },
      summary: "No PgBouncer replica has been available for 10 minutes.",
      impact: "Nothing in Airflow can reach the metadata database: the scheduler stops and tasks fail.",
      firstCheck: `\`kubectl -n ${c.airflowNamespace} describe deployment ${pgbouncer}\`, then its pods' events.`,
      notifyNoData: true,
      noDataMinutes: 20,
    },
    {
      key: "efs-io-limit",
      name: `[${c.environment}] Task-log file system is near its I/O limit`,
      severity: "warning",
      priority: 3,
      query: `max(last_15m):max:aws.efs.percent_iolimit{name:${c.logFileSystemName}} > 95`,
      evaluationDelaySeconds: CRAWLER_EVALUATION_DELAY_SECONDS,
      thresholds: { critical: 95, warning: 80 },
      summary: "EFS for task logs is above 95% of its I/O limit.",
      impact: "Log writes slow every task pod; at the limit, mounts time out.",
      firstCheck: "How many task pods run at once against the EFS metered I/O graph.",
      notifyNoData: false,
    },
  ];
}

import { DashboardJson } from "@cdktf/provider-datadog/lib/dashboard-json";
import { ConfigError } from "../config-error";
import { Construct } from "../core";
import { knownMetrics } from "./metric-catalog";
import { airflowScope, clusterScope, type MonitorContext } from "./monitor-context";

interface Widget {
  readonly definition: {
    readonly title: string;
    readonly type: "timeseries";
    readonly requests: readonly { readonly q: string; readonly display_type: "line" | "bars" }[];
  };
}

function timeseries(title: string, ...queries: string[]): Widget {
  return { definition: { title, type: "timeseries", requests: queries.map((q) => ({ q, display_type: "line" as const })) } };
}

/**
 * One screen for the night: is work flowing (running, queued, failed), is the cluster keeping up
 * (task nodes, pending pods), is the database coping (connections against max, CPU, waits in
 * PgBouncer), are logs
 * flowing (EFS I/O).
 */
export function dashboardDefinition(c: MonitorContext): Record<string, unknown> {
  const airflow = airflowScope(c);
  const db = `dbinstanceidentifier:${c.database.identifier}`;
  const widgets: Widget[] = [
    timeseries("Tasks running and queued", `sum:airflow.executor.running_tasks{${airflow}}`, `sum:airflow.executor.queued_tasks{${airflow}}`),
    timeseries("Open executor slots", `sum:airflow.executor.open_slots{${airflow}}`),
    timeseries("Task failures by DAG", `sum:airflow.ti.finish{${airflowScope(c, "state:failed")}} by {dag_id}.as_count()`),
    timeseries("Scheduler heartbeats", `sum:airflow.scheduler_heartbeat{${airflow}}.as_count()`),
    timeseries(`Task nodes (max ${c.tasksMaxNodes})`, `sum:kubernetes_state.node.status{${clusterScope(c, "node_pool:tasks", "status:schedulable")}}`),
    timeseries("Pending pods in Airflow's namespace", `sum:kubernetes_state.pod.status_phase{${clusterScope(c, `kube_namespace:${c.airflowNamespace}`, "pod_phase:pending")}}`),
    timeseries(`Database connections (max_connections ${c.database.maxConnections})`, `max:aws.rds.database_connections{${db}}`),
    timeseries("Database CPU %", `avg:aws.rds.cpuutilization{${db}}`),
    timeseries("Longest wait for a connection in PgBouncer (s)", `max:pgbouncer.pools.maxwait{${clusterScope(c, `kube_namespace:${c.airflowNamespace}`)}}`),
    timeseries("Task-log file system I/O limit %", `max:aws.efs.percent_iolimit{name:${c.logFileSystemName}}`),
  ];
  return {
    title: `Airflow platform — ${c.environment}`,
    description: "The nightly pipeline, the cluster under it and the database behind it (managed by airflow-platform).",
    layout_type: "ordered",
    widgets,
  };
}

/** Every metric a dashboard queries. */
export function dashboardMetrics(definition: Record<string, unknown>): string[] {
  return [...JSON.stringify(definition).matchAll(/(?:avg|sum|max|min):([a-z][a-z0-9_.]*)\{/g)].map((m) => m[1]);
}

export interface PlatformDashboardProps {
  readonly environment: string;
  readonly context: MonitorContext;
}

/** The platform's dashboard, its metrics checked against the catalog like the monitors'. */
export class PlatformDashboard extends Construct {
  constructor(scope: Construct, id: string, props: PlatformDashboardProps) {
    super(scope, id);
    const definition = dashboardDefinition(props.context);
    const unknown = dashboardMetrics(definition).filter((metric) => !knownMetrics().has(metric));
    if (unknown.length > 0) {
      throw new ConfigError(
        unknown.map((metric) => ({
          environment: props.environment,
          constructPath: this.node.path,
          field: "dashboard",
          given: metric,
          allowed: "a metric in the Datadog metric lists (data/datadog)",
        })),
      );
    }
    new DashboardJson(this, "dashboard", { dashboard: JSON.stringify(definition) });
  }
}

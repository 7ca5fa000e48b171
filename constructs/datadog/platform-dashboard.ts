import { DashboardJson } from "@cdktf/provider-datadog/lib/dashboard-json";
import { ConfigError, type ConfigProblem } from "../../lib/config-error";
import { Construct } from "../core";
import type { MetricCatalog } from "./metric-catalog";
import { airflowScope, clusterScope, type MonitorContext } from "./monitor-context";
import { parseExpression } from "./monitor-query";
import { termProblems } from "./monitor-spec";

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
    timeseries(
      c.airflowTags ? "Failed task tries by DAG" : "Failed task tries",
      // With Airflow's tags, ti.finish counts every failed try (AirflowFailException and sensor
      // timeouts too, which ti_failures misses: test/fixtures/airflow-statsd-capture.txt).
      c.airflowTags ? `sum:airflow.ti.finish{${airflowScope(c, "state:failed")}} by {dag_id}.as_count()` : `sum:airflow.ti_failures{${airflow}}.as_count()`,
    ),
    timeseries("Scheduler heartbeats", `sum:airflow.scheduler_heartbeat{${airflow}}.as_count()`),
    timeseries(`Task nodes (max ${c.tasksMaxNodes})`, `sum:kubernetes_state.node.status{${clusterScope(c, "node_pool:tasks", "status:schedulable")}}`),
    timeseries("Pending task pods", `sum:kubernetes_state.pod.status_phase{${clusterScope(c, `kube_namespace:${c.taskNamespace}`, "pod_phase:pending")}}`),
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

/** Every request query of a dashboard. */
export function dashboardQueries(definition: Record<string, unknown>): string[] {
  const widgets = (definition.widgets ?? []) as readonly Widget[];
  return widgets.flatMap((widget) => widget.definition.requests.map((request) => request.q));
}

/** Every problem of the dashboard's queries, checked like a monitor's: parse, metric sent, tags sent. */
export function dashboardProblems(environment: string, constructPath: string, definition: Record<string, unknown>, catalog: MetricCatalog): ConfigProblem[] {
  return dashboardQueries(definition).flatMap((q) => {
    const terms = parseExpression(q);
    const problems = "error" in terms ? [`dashboard query does not parse: ${terms.error}`] : terms.flatMap((term) => termProblems("dashboard", term, catalog));
    return problems.map((allowed) => ({ environment, constructPath, field: "observability dashboard", given: JSON.stringify(q), allowed }));
  });
}

export interface PlatformDashboardProps {
  readonly environment: string;
  readonly context: MonitorContext;
  /** What sends each metric on this platform; every widget's metrics and tags are checked against it. */
  readonly catalog: MetricCatalog;
}

/** The platform's dashboard, its queries checked against what is sent like the monitors'. */
export class PlatformDashboard extends Construct {
  constructor(scope: Construct, id: string, props: PlatformDashboardProps) {
    super(scope, id);
    const definition = dashboardDefinition(props.context);
    const problems = dashboardProblems(props.environment, this.node.path, definition, props.catalog);
    if (problems.length > 0) throw new ConfigError(problems);
    new DashboardJson(this, "dashboard", { dashboard: JSON.stringify(definition) });
  }
}

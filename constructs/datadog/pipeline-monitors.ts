import { airflowScope, type MonitorContext } from "./monitor-context";
import type { MonitorSpec } from "./monitor-spec";

// Monitors on Airflow itself. Under KubernetesExecutor, ti_failures, ti_successes, operator_*
// and dag.task.duration are not emitted (Datadog's Airflow integration README), so task failures
// are read from `airflow.ti.finish` with `state:failed`, which is.

const HOUR = 3600;

/** The two official Airflow integration monitors (data/datadog/airflow-monitors), adapted. */
function officialMonitors(c: MonitorContext): MonitorSpec[] {
  const longTask = c.longTaskHours * HOUR;
  return [
    {
      key: "job-heartbeat-failures",
      name: `[${c.environment}] Airflow {{job_name.name}} job heartbeats are failing`,
      severity: "critical",
      priority: 2,
      query: `sum(last_5m):sum:airflow.job.heartbeat.failure{${airflowScope(c)}} by {job_name}.as_count() >= 1`,
      thresholds: { critical: 1 },
      summary: "The {{job_name.name}} job failed {{value}} heartbeats in 5 minutes.",
      impact: "A job that cannot heartbeat is killed and its tasks are rescheduled; the nightly run slows or stalls.",
      firstCheck: "The scheduler and triggerer pods' logs and restarts, then database latency through PgBouncer.",
      notifyNoData: false,
    },
    {
      key: "task-ongoing-duration",
      name: `[${c.environment}] Airflow task {{dag_id.name}}.{{task_id.name}} is running long`,
      severity: "warning",
      priority: 3,
      query: `max(last_15m):max:airflow.dag.task.ongoing_duration{${airflowScope(c)}} by {dag_id,task_id} > ${longTask}`,
      thresholds: { critical: longTask, warning: Math.round(longTask * 0.66) },
      summary: `Task {{task_id.name}} of {{dag_id.name}} has been running for more than ${c.longTaskHours} hours.`,
      impact: "A hung task holds a slot and delays everything downstream of it.",
      firstCheck: "The task's log on EFS (Airflow UI → task → Logs) and its pod's CPU and memory.",
      notifyNoData: false,
    },
  ];
}

/** Task failures, from the signal KubernetesExecutor does emit. */
function taskFailureMonitor(c: MonitorContext): MonitorSpec {
  return {
    key: "task-failures",
    name: `[${c.environment}] Airflow task {{dag_id.name}}.{{task_id.name}} failed`,
    severity: "warning",
    priority: 3,
    query: `sum(last_15m):sum:airflow.ti.finish{${airflowScope(c, "state:failed")}} by {dag_id,task_id}.as_count() > 0`,
    thresholds: { critical: 0 },
    summary: "Task {{task_id.name}} of {{dag_id.name}} finished as failed {{value}} times in 15 minutes.",
    impact: "Its downstream tasks will not run until it is cleared; retries may hide a real breakage.",
    firstCheck: "The task's log on EFS (Airflow UI → task → Logs); then its pod's events if it never started.",
    notifyNoData: false,
  };
}

function criticalDagMonitors(c: MonitorContext): MonitorSpec[] {
  return c.criticalDags.flatMap(({ dagId, deadlineHours }) => {
    const deadline = deadlineHours * HOUR;
    const scope = airflowScope(c, `dag_id:${dagId}`);
    return [
      {
        key: `dag-failed-${dagId}`,
        name: `[${c.environment}] Critical DAG ${dagId} failed`,
        severity: "critical",
        priority: 1,
        query: `max(last_30m):max:airflow.dagrun.duration.failed{${scope}} > 0`,
        thresholds: { critical: 0 },
        summary: `A run of ${dagId} ended in failure.`,
        impact: `${dagId}'s outputs will not be ready by the ${deadlineHours}-hour deadline unless it is re-run now.`,
        firstCheck: `The failed task of the latest ${dagId} run in the Airflow UI, and its log.`,
        notifyNoData: false,
      },
      {
        key: `dag-deadline-${dagId}`,
        name: `[${c.environment}] Critical DAG ${dagId} is still running past its deadline`,
        severity: "critical",
        priority: 1,
        query: `max(last_5m):max:airflow.dag.task.ongoing_duration{${scope}} > ${deadline}`,
        thresholds: { critical: deadline, warning: Math.round(deadline * 0.75) },
        summary: `A task of ${dagId} has run longer than the whole DAG's ${deadlineHours}-hour budget.`,
        impact: `${dagId} will miss its deadline; consumers of its outputs start the day without them.`,
        firstCheck: "Pending task pods and the tasks node group's size: is the cluster at its maximum?",
        notifyNoData: false,
      },
      {
        key: `dag-late-${dagId}`,
        name: `[${c.environment}] Critical DAG ${dagId} finished after its deadline`,
        severity: "warning",
        priority: 2,
        query: `max(last_1h):max:airflow.dagrun.duration.success{${scope}} > ${deadline * 1000}`,
        thresholds: { critical: deadline * 1000 },
        summary: `${dagId} succeeded but took more than ${deadlineHours} hours.`,
        impact: "The deadline was missed; the next night will too unless capacity or the DAG changes.",
        firstCheck: "The run's Gantt chart in the Airflow UI: which tasks waited in the queue longest.",
        notifyNoData: false,
      },
    ] satisfies MonitorSpec[];
  });
}

function schedulerMonitors(c: MonitorContext): MonitorSpec[] {
  const scope = airflowScope(c);
  return [
    {
      key: "scheduler-heartbeat",
      name: `[${c.environment}] Airflow scheduler heartbeat is missing`,
      severity: "critical",
      priority: 1,
      query: `sum(last_5m):sum:airflow.scheduler_heartbeat{${scope}}.as_count() < 1`,
      thresholds: { critical: 1 },
      summary: "No scheduler has sent a heartbeat for 5 minutes.",
      impact: "Nothing new is scheduled: the whole pipeline is stopped.",
      firstCheck: "`kubectl -n airflow get pods -l component=scheduler` and the scheduler logs; then PgBouncer.",
      notifyNoData: true,
      noDataMinutes: 10,
    },
    {
      key: "executor-saturated",
      name: `[${c.environment}] Airflow tasks are queued with no open executor slots`,
      severity: "warning",
      priority: 2,
      // Positive only while tasks are queued and not one slot is open: 1000 outweighs any queue.
      query: `min(last_15m):sum:airflow.executor.queued_tasks{${scope}} - 1000 * sum:airflow.executor.open_slots{${scope}} > 0`,
      thresholds: { critical: 0 },
      summary: "Tasks have waited for 15 minutes while every executor slot was taken.",
      impact: "The run is limited by Airflow's parallelism, not by the cluster: it will finish late.",
      firstCheck: "`[core] parallelism` against the tasks node group's maximum size.",
      notifyNoData: false,
    },
    {
      key: "pool-starvation",
      name: `[${c.environment}] Airflow pool {{pool_name.name}} is starving tasks`,
      severity: "warning",
      priority: 3,
      query: `max(last_15m):max:airflow.pool.starving_tasks{${scope}} by {pool_name} > 0`,
      thresholds: { critical: 0 },
      summary: "Tasks in pool {{pool_name.name}} have waited 15 minutes for a slot.",
      impact: "DAGs that share the pool are serialized behind each other.",
      firstCheck: "The pool's size in Admin → Pools, and which DAGs hold its slots.",
      notifyNoData: false,
    },
    {
      key: "dag-import-errors",
      name: `[${c.environment}] Airflow cannot import some DAG files`,
      severity: "critical",
      priority: 2,
      query: `max(last_10m):max:airflow.dag_processing.import_errors{${scope}} > 0`,
      thresholds: { critical: 0 },
      summary: "{{value}} DAG files fail to import.",
      impact: "DAGs in broken files are not scheduled at all, critical ones included.",
      firstCheck: "The import errors banner in the Airflow UI, and the last commit on the DAG branch.",
      notifyNoData: false,
    },
  ];
}

export function pipelineMonitors(context: MonitorContext): MonitorSpec[] {
  return [...officialMonitors(context), taskFailureMonitor(context), ...criticalDagMonitors(context), ...schedulerMonitors(context)];
}

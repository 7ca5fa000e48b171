import { criticalDagMonitors } from "./critical-dag-monitors";
import { airflowScope, type MonitorContext } from "./monitor-context";
import type { MonitorSpec } from "./monitor-spec";

// Monitors on Airflow itself, each on a metric Airflow 3.1 really sends (data/datadog/
// metric-emitters.yaml): task failures from `ti_failures` (task runner and scheduler), a task
// running long from the scheduler's `ti.running` gauge, the scheduler's own heartbeat and queues.

function jobHeartbeatMonitor(c: MonitorContext): MonitorSpec {
  // Every job is the ORM class Job, so the name, and the mapper's job_name tag, is always "job".
  return {
    key: "job-heartbeat-failures",
    name: `[${c.environment}] Airflow job heartbeats are failing`,
    severity: "critical",
    priority: 2,
    query: `sum(last_5m):sum:airflow.job.heartbeat.failure{${airflowScope(c)}}.as_count() >= 1`,
    thresholds: { critical: 1 },
    summary: "A scheduler, triggerer or DAG processor failed {{value}} heartbeats in 5 minutes.",
    impact: "A job that cannot heartbeat is killed and its tasks are rescheduled; the nightly run slows or stalls.",
    firstCheck: "The scheduler, triggerer and DAG processor pods' logs and restarts, then database latency through PgBouncer.",
    notifyNoData: false,
    eventLike: true,
  };
}

/**
 * A failed try, whatever failed it, from the task runner's `ti.finish` (state `failed`, or
 * `up_for_retry` when a retry follows): Airflow 3.1.8 sends it from the `finally` of every try
 * that ends in the task process, an exception, `AirflowFailException`, a sensor timeout or
 * `AirflowTaskTerminated` alike, where `ti_failures` counts only the exceptions that may be
 * retried (test/fixtures/airflow-statsd-capture.txt). A killed try sends no `ti.finish`. If its
 * supervisor died too (the whole pod OOM-killed, evicted, its node lost), or lived but had a
 * retry to report (it leaves `up_for_retry` to the task process, and reports nothing), the
 * executor's event or the missed heartbeats find the try still running, and the scheduler fails
 * it and counts `scheduler.tasks.killed_externally` (SchedulerJobRunner.process_executor_events).
 * With no retry left, a living supervisor reports `failed` through the execution API, which
 * counts nothing: `dagRunsFailedMonitor` catches its run (docs/alerts.md).
 */
function taskFailureMonitor(c: MonitorContext): MonitorSpec {
  const common = {
    key: "task-failures",
    severity: "warning",
    priority: 3,
    thresholds: { critical: 0 },
    impact: "Its downstream tasks wait for the retry; when retries run out, the DAG run fails.",
    notifyNoData: false,
    eventLike: true,
  } as const;
  if (!c.airflowTags) {
    return {
      ...common,
      name: `[${c.environment}] Airflow tasks are failing`,
      query: `sum(last_15m):sum:airflow.ti_failures{${airflowScope(c)}}.as_count() > 0`,
      summary: "{{value}} task tries failed in 15 minutes (plain StatsD does not say which, nor count AirflowFailException or sensor timeouts).",
      firstCheck: "Browse → Task Instances filtered by state failed or up_for_retry in the Airflow UI, then the task's log.",
    };
  }
  const finished = (state: string) => `default_zero(sum:airflow.ti.finish{${airflowScope(c, `state:${state}`)}} by {dag_id,task_id}.as_count())`;
  const killed = `default_zero(sum:airflow.scheduler.tasks.killed_externally{${airflowScope(c)}} by {dag_id,task_id}.as_count())`;
  return {
    ...common,
    name: `[${c.environment}] Airflow task {{dag_id.name}}.{{task_id.name}} failed`,
    query: `sum(last_15m):${finished("failed")} + ${finished("up_for_retry")} + ${killed} > 0`,
    summary: "A try of task {{task_id.name}} of {{dag_id.name}} failed ({{value}} in 15 minutes); it may be retried.",
    firstCheck: "The task's log (Airflow UI → task → Logs); if there is none, its pod's events: OOMKilled, evicted or never scheduled.",
  };
}

/**
 * A DAG run that failed, any DAG: the scheduler's `dagrun.duration.failed`, sent when a run ends
 * failed and when it times out. The one signal of a task process killed outright with no retry
 * left while its supervisor lives (SIGKILL of that process alone), which sends no `ti.finish`.
 */
function dagRunsFailedMonitor(c: MonitorContext): MonitorSpec[] {
  if (!c.airflowTags) return [];
  return [
    {
      key: "dag-runs-failed",
      name: `[${c.environment}] Airflow DAG {{dag_id.name}} has a failed run`,
      severity: "warning",
      priority: 3,
      query: `sum(last_15m):default_zero(sum:airflow.dagrun.duration.failed.count{${airflowScope(c)}} by {dag_id}.as_count()) > 0`,
      thresholds: { critical: 0 },
      summary: "A run of {{dag_id.name}} failed: a task failed with no retry left, its process was killed, or the run timed out.",
      impact: "The run's outputs are missing until it is cleared and re-run.",
      firstCheck: "The run's failed task in the Airflow UI; a task with no log of its end was killed (its pod's events: OOMKilled, evicted).",
      notifyNoData: false,
      eventLike: true,
    },
  ];
}

/**
 * A task running for the whole of the last `longTaskHours`: the scheduler reports every running
 * task every 30 s and a 0 once it stops, so the minimum over a full window is 1 only if it ran
 * throughout. Needs Airflow's tags: plain StatsD's `ti.running.<queue>.<dag>.<task>` has no mapping.
 */
function longTaskMonitor(c: MonitorContext): MonitorSpec[] {
  if (!c.airflowTags) return [];
  return [
    {
      key: "task-running-long",
      name: `[${c.environment}] Airflow task {{dag_id.name}}.{{task_id.name}} has run for ${c.longTaskHours} hours`,
      severity: "warning",
      priority: 3,
      query: `min(last_${c.longTaskHours * 60}m):max:airflow.ti.running{${airflowScope(c)}} by {dag_id,task_id} >= 1`,
      thresholds: { critical: 1 },
      summary: `Task {{task_id.name}} of {{dag_id.name}} has been running for more than ${c.longTaskHours} hours.`,
      impact: "A hung task holds a slot and delays everything downstream of it.",
      firstCheck: "The task's log (Airflow UI → task → Logs) and its pod's CPU and memory.",
      notifyNoData: false,
      requireFullWindow: true,
    },
  ];
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
      name: `[${c.environment}] Airflow is holding back tasks that are ready to run`,
      severity: "warning",
      priority: 2,
      // Tasks stay SCHEDULED while the scheduler hands the executor none: parallelism (or a
      // DAG's max_active_tasks) is used up. Those waiting for a pool slot are pool starvation.
      query: `min(last_15m):sum:airflow.pool.scheduled_slots{${scope}} - sum:airflow.pool.starving_tasks{${scope}} > 0`,
      thresholds: { critical: 0 },
      summary: "Tasks have been ready to run for 15 minutes while the scheduler queued none of them: every executor slot was taken.",
      impact: "The run is limited by Airflow's parallelism, not by the cluster: it will finish late.",
      firstCheck: "`[core] parallelism` against the tasks node group's maximum size, and max_active_tasks of the DAGs running.",
      notifyNoData: false,
      requireFullWindow: true,
    },
    {
      key: "pool-starvation",
      name: `[${c.environment}] Airflow pool {{pool_name.name}} is starving tasks`,
      severity: "warning",
      priority: 3,
      // The minimum: tasks waited in the pool at every point of the window, not once.
      query: `min(last_15m):max:airflow.pool.starving_tasks{${scope}} by {pool_name} > 0`,
      thresholds: { critical: 0 },
      summary: "Tasks in pool {{pool_name.name}} have waited 15 minutes for a slot.",
      impact: "DAGs that share the pool are serialized behind each other.",
      firstCheck: "The pool's size in Admin → Pools, and which DAGs hold its slots.",
      notifyNoData: false,
      requireFullWindow: true,
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
  return [
    jobHeartbeatMonitor(context),
    taskFailureMonitor(context),
    ...dagRunsFailedMonitor(context),
    ...longTaskMonitor(context),
    ...criticalDagMonitors(context),
    ...schedulerMonitors(context),
  ];
}

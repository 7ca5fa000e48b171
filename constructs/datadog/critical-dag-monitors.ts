import { airflowScope, type CriticalDag, type MonitorContext } from "./monitor-context";
import type { MonitorSchedule, MonitorSpec } from "./monitor-spec";

// Per critical DAG, from what Airflow 3.1's scheduler sends (data/datadog/metric-emitters.yaml):
//   - `dagrun.duration.failed` / `.success`: timings sent when a run ends, which the agent turns
//     into `.count`, `.max`, ... (a failed run; a run slower than its budget; no success by a time);
//   - `dagrun.dependency-check`: timed on every scheduler loop over a running run, so it arrives
//     for as long as a run is in progress (a run over its budget);
//   - `dagrun.schedule_delay`: sent when a scheduled run starts (not started by a time).
// A time-of-day check runs once a day at that time (Datadog custom schedules); `default_zero`
// makes "nothing arrived" evaluate to 0, so a DAG that never ran (paused, import error, scheduler
// down) alerts instead of going quiet.

const HOUR_MS = 3_600_000;
/** A success this long before the deadline is tonight's run, not the previous day's. */
const LOOKBACK_HOURS = 12;

function schedule(dag: CriticalDag, time: string): MonitorSchedule {
  const rrule = dag.days ? `FREQ=WEEKLY;INTERVAL=1;BYDAY=${dag.days.join(",")}` : "FREQ=DAILY;INTERVAL=1";
  return { rrule, time, timezone: dag.timezone };
}

function deadlineMonitors(c: MonitorContext, dag: CriticalDag, scope: string): MonitorSpec[] {
  const specs: MonitorSpec[] = [];
  const when = (time: string) => `${time} ${dag.timezone}`;
  if (dag.finishBy) {
    const hours = Math.max(LOOKBACK_HOURS, Math.ceil(dag.deadlineHours));
    specs.push({
      key: `dag-deadline-${dag.dagId}`,
      name: `[${c.environment}] Critical DAG ${dag.dagId} has not succeeded by ${when(dag.finishBy)}`,
      severity: "critical",
      priority: 1,
      query: `sum(last_${hours}h):default_zero(sum:airflow.dagrun.duration.success.count{${scope}}) <= 0`,
      thresholds: { critical: 0 },
      summary: `No run of ${dag.dagId} has succeeded in the ${hours} hours before ${when(dag.finishBy)}.`,
      impact: `${dag.dagId}'s outputs are not ready: consumers start the day without them.`,
      firstCheck: `${dag.dagId} in the Airflow UI: a run still running (queued tasks, the tasks node group at its maximum), a failed run (its failed task's log), or no run at all (paused? an import error? the scheduler?).`,
      notifyNoData: false,
      schedule: schedule(dag, dag.finishBy),
    });
  }
  if (dag.startBy) {
    specs.push({
      key: `dag-not-started-${dag.dagId}`,
      name: `[${c.environment}] Critical DAG ${dag.dagId} has not started by ${when(dag.startBy)}`,
      severity: "warning",
      priority: 2,
      query: `sum(last_${LOOKBACK_HOURS}h):default_zero(sum:airflow.dagrun.schedule_delay.count{${scope}}) <= 0`,
      thresholds: { critical: 0 },
      summary: `No scheduled run of ${dag.dagId} has started in the ${LOOKBACK_HOURS} hours before ${when(dag.startBy)}.`,
      impact: dag.finishBy ? `${dag.dagId} will miss ${when(dag.finishBy)} unless it starts now.` : `${dag.dagId} is late.`,
      firstCheck: `Whether ${dag.dagId} is paused or fails to import (Airflow UI), and the scheduler heartbeat.`,
      notifyNoData: false,
      schedule: schedule(dag, dag.startBy),
    });
  }
  return specs;
}

export function criticalDagMonitors(c: MonitorContext): MonitorSpec[] {
  return c.criticalDags.flatMap((dag) => {
    const scope = airflowScope(c, `dag_id:${dag.dagId}`);
    const budget = dag.deadlineHours * HOUR_MS;
    return [
      {
        key: `dag-failed-${dag.dagId}`,
        name: `[${c.environment}] Critical DAG ${dag.dagId} failed`,
        severity: "critical",
        priority: 1,
        query: `sum(last_30m):default_zero(sum:airflow.dagrun.duration.failed.count{${scope}}.as_count()) > 0`,
        thresholds: { critical: 0 },
        summary: `A run of ${dag.dagId} ended in failure.`,
        impact: `${dag.dagId}'s outputs will not be ready within its ${dag.deadlineHours}-hour budget unless it is re-run now.`,
        firstCheck: `The failed task of the latest ${dag.dagId} run in the Airflow UI, and its log.`,
        notifyNoData: false,
        eventLike: true,
      },
      {
        key: `dag-over-budget-${dag.dagId}`,
        name: `[${c.environment}] Critical DAG ${dag.dagId} has been running for ${dag.deadlineHours} hours`,
        severity: "critical",
        priority: 1,
        query: `min(last_${Math.round(dag.deadlineHours * 60)}m):sum:airflow.dagrun.dependency_check.count{${scope}} > 0`,
        thresholds: { critical: 0 },
        summary: `A run of ${dag.dagId} has been in progress for longer than its ${dag.deadlineHours}-hour budget.`,
        impact: `${dag.dagId} will be late; consumers of its outputs start the day without them.`,
        firstCheck: "Queued and pending task pods, and the tasks node group's size: is the cluster at its maximum?",
        notifyNoData: false,
        requireFullWindow: true,
      },
      {
        key: `dag-late-${dag.dagId}`,
        name: `[${c.environment}] Critical DAG ${dag.dagId} took longer than ${dag.deadlineHours} hours`,
        severity: "warning",
        priority: 2,
        query: `max(last_1h):max:airflow.dagrun.duration.success.max{${scope}} > ${budget}`,
        thresholds: { critical: budget },
        summary: `${dag.dagId} succeeded but took more than ${dag.deadlineHours} hours.`,
        impact: "The budget was missed; the next night will be too unless capacity or the DAG changes.",
        firstCheck: "The run's Gantt chart in the Airflow UI: which tasks waited in the queue longest.",
        notifyNoData: false,
      },
      ...deadlineMonitors(c, dag, scope),
    ] satisfies MonitorSpec[];
  });
}

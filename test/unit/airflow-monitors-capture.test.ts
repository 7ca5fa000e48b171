import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { pipelineMonitors } from "../../constructs/datadog/pipeline-monitors";
import type { MonitorSpec } from "../../constructs/datadog/monitor-spec";
import { isParsed, parseMonitorQuery } from "../../constructs/datadog/monitor-query";
import { CAPTURE_RUNS, PAUSED_DAG } from "../support/airflow-capture";
import { captureContext, capturedLines, capturedPoints, MISSED_BUDGET_HOURS } from "../support/captured-series";
import { evaluateMonitor } from "../support/monitor-evaluation";

// Every Airflow monitor, evaluated on what Airflow 3.1.8 really sent while the test DAGs ran
// (test/fixtures/airflow-statsd-capture.txt), after the platform's block list and the agent's
// mapping and tagging: it alerts where it should and nowhere else.

const lines = capturedLines();
const points = capturedPoints(lines);
const monitors = pipelineMonitors(captureContext());

function monitor(key: string, specs: readonly MonitorSpec[] = monitors): MonitorSpec {
  const spec = specs.find((m) => m.key === key);
  assert.ok(spec, `a monitor ${key} among ${specs.map((m) => m.key).join(", ")}`);
  return spec;
}

const alerting = (key: string, window?: { fromMs: number; toMs: number }) => evaluateMonitor(monitor(key).query, points, window).alerting;
const dagsIn = (groups: readonly string[]) => [...new Set(groups.map((g) => /dag_id:([\w-]+)/.exec(g)?.[1] ?? g))].sort();

/** When the first and last line matching `pattern` arrived. */
function span(pattern: RegExp): { fromMs: number; toMs: number } {
  const times = lines.filter((l) => pattern.test(l.line)).map((l) => l.atMs);
  assert.ok(times.length > 0, `the capture has ${pattern}`);
  return { fromMs: Math.min(...times), toMs: Math.max(...times) };
}

const failingDags = ["capture_deadline", "capture_exception", "capture_fail_exception", "capture_pod_killed", "capture_retry", "capture_sensor_timeout", "capture_sigkill", "capture_sigkill_retry"];
const cleanDags = Object.keys(CAPTURE_RUNS).filter((d) => !failingDags.includes(d));

describe("Airflow's monitors on the captured datagrams", () => {
  it("every Airflow metric a monitor queries arrived with the tags it filters and groups by", () => {
    const problems = monitors.flatMap((spec) => {
      const parsed = parseMonitorQuery(spec.query);
      assert.ok(isParsed(parsed), spec.key);
      return parsed.terms
        .filter((term) => term.metric.startsWith("airflow."))
        // A DAG's own monitors filter by its dag_id; which DAG sent the metric is not the point.
        .filter((term) => !points.some((p) => p.name === term.metric && term.scope.every((f) => (f.startsWith("dag_id:") ? p.tags.some((t) => t.startsWith("dag_id:")) : p.tags.includes(f))) && term.groupBy.every((k) => p.tags.some((t) => t.startsWith(`${k}:`)))))
        .map((term) => `${spec.key}: ${term.metric}{${term.scope.join(",")}} by {${term.groupBy.join(",")}}`);
    });
    assert.deepEqual(problems, []);
  });

  it("a task that fails in any way reaches Slack: an exception, AirflowFailException, a sensor timeout, a retried try, SIGKILL, its supervisor killed too, a run timed out", () => {
    const alerted = dagsIn([...alerting("task-failures"), ...alerting("dag-runs-failed")]);
    assert.deepEqual(alerted, failingDags);
    for (const dag of cleanDags) assert.ok(!alerted.includes(dag), dag);
  });

  it("task-failures names the task of each failed try, reported by its task runner or failed by the scheduler", () => {
    assert.deepEqual([...alerting("task-failures")].sort(), [
      "dag_id:capture_exception,task_id:raise_value_error",
      "dag_id:capture_fail_exception,task_id:fail_without_retry",
      // No ti.finish for these: the scheduler failed the killed try itself (killed_externally).
      "dag_id:capture_pod_killed,task_id:killed_with_its_supervisor",
      "dag_id:capture_retry,task_id:fail_once",
      "dag_id:capture_sensor_timeout,task_id:never_true",
      "dag_id:capture_sigkill_retry,task_id:killed_then_retried",
    ]);
  });

  it("a SIGKILLed try with a retry left, whose retry succeeds, alerts from the scheduler's killed_externally alone", () => {
    // capture_sigkill_retry: the supervisor lives but reports nothing (up_for_retry is among the
    // states it leaves to the task process); capture_pod_killed: the supervisor died too, and the
    // heartbeat timeout found the try (LocalExecutor has no pod watcher). Either way the
    // scheduler fails the still-running try from the executor's event (docs/alerts.md).
    for (const [dag, found] of [["capture_sigkill_retry", "an executor event"], ["capture_pod_killed", "the heartbeat timeout"]] as const) {
      const sent = (name: string) => lines.filter((l) => l.line.startsWith(`airflow.${name}:`) && l.line.includes(`dag_id:${dag},`)).map((l) => l.line);
      assert.equal(sent("ti.start").length, 2, `${dag}: two tries started`);
      assert.deepEqual(sent("ti.finish").map((l) => /state:(\w+)/.exec(l)?.[1]), ["success"], `${dag}: only the retry finished in its task runner`);
      assert.equal(sent("scheduler.tasks.killed_externally").length, 1, dag);
      assert.equal(sent("task_instances_without_heartbeats_killed").length, found === "the heartbeat timeout" ? 1 : 0, `${dag}: found by ${found}`);
      assert.deepEqual(alerting("dag-runs-failed").filter((g) => g.includes(dag)), [], `${dag}: its run succeeded`);
    }
  });

  it("task-running-long alerts for the task that runs throughout the window, not after it stopped", () => {
    const running = span(/^airflow\.ti\.running:1\|g\|#.*task_id:sleep_long/);
    // The mapped task's tries ran one after another throughout, so it alerts too.
    assert.ok(alerting("task-running-long", running).includes("dag_id:capture_long_task,task_id:sleep_long"));
    assert.ok(!alerting("task-running-long", running).some((group) => group.includes("capture_success")));
    const after = span(/./);
    assert.ok(!alerting("task-running-long", { fromMs: running.toMs + 3000, toMs: after.toMs }).some((group) => group.includes("capture_long_task")));
  });

  it("a critical DAG's failed run alerts; a successful one does not", () => {
    assert.deepEqual(alerting("dag-failed-capture_exception"), ["*"]);
    assert.deepEqual(alerting("dag-failed-capture_sigkill"), ["*"]);
    assert.deepEqual(alerting("dag-failed-capture_success"), []);
  });

  it("a paused critical DAG has neither started nor succeeded by its times; one that ran has", () => {
    assert.deepEqual(alerting(`dag-deadline-${PAUSED_DAG}`), ["*"]);
    assert.deepEqual(alerting(`dag-not-started-${PAUSED_DAG}`), ["*"]);
    assert.deepEqual(alerting("dag-deadline-capture_success"), []);
    assert.deepEqual(alerting("dag-not-started-capture_success"), []);
  });

  it(`a run over its budget alerts while it runs and once it ends late (budget ${MISSED_BUDGET_HOURS * 3_600_000} ms); one within its budget does not`, () => {
    const running = span(/^airflow\.dagrun\.dependency-check:.*dag_id:capture_long_task/);
    assert.deepEqual(alerting("dag-over-budget-capture_long_task", running), ["*"]);
    assert.deepEqual(alerting("dag-late-capture_long_task"), ["*"]);
    assert.deepEqual(alerting("dag-late-capture_success"), []);
  });

  it("the scheduler's heartbeat arrives while it runs, and before it started there is no data, which alerts", () => {
    assert.deepEqual(alerting("scheduler-heartbeat"), []);
    const first = span(/^airflow\.scheduler_heartbeat:/).fromMs;
    assert.equal(evaluateMonitor(monitor("scheduler-heartbeat").query, points, { fromMs: 0, toMs: first - 1 }).values.size, 0);
    assert.equal(monitor("scheduler-heartbeat").notifyNoData, true);
  });

  it("pool-starvation alerts for the pool tasks waited in across the window, not for one that had room", () => {
    const waiting = span(/^airflow\.pool\.starving_tasks:[1-9].*pool_name:capture_one_slot/);
    assert.deepEqual(alerting("pool-starvation", waiting), ["pool_name:capture_one_slot"]);
    assert.deepEqual(alerting("pool-starvation"), []);
  });

  it("executor-saturated alerts while ready tasks wait for an executor slot, and not over the whole run", () => {
    // Parallelism 4 (airflow-run.ts): capture_saturate's six tries and the other DAGs' first
    // tasks outnumber it.
    const held = span(/^airflow\.pool\.scheduled_slots:[1-9]\d*\|g\|#pool_name:default_pool/);
    const value = evaluateMonitor(monitor("executor-saturated").query, points, held).values.get("*");
    assert.ok(value !== undefined && value > 0, `held back: ${String(value)}`);
    assert.deepEqual(alerting("executor-saturated"), []);
  });

  it("dag-import-errors alerts once a DAG file does not import, and not while every file did", () => {
    const broken = span(/^airflow\.dag_processing\.import_errors:[1-9]/);
    assert.deepEqual(alerting("dag-import-errors", { fromMs: broken.fromMs, toMs: span(/./).toMs }), ["*"]);
    assert.deepEqual(alerting("dag-import-errors", { fromMs: 0, toMs: broken.fromMs - 1 }), []);
  });

  it("job-heartbeat-failures alerts once the scheduler's heartbeat failed on a locked job row, not before, and not once it beat again", () => {
    // test/support/heartbeat-failure.ts: the heartbeat's UPDATE gave up on the held row lock
    // (LockNotAvailable) while the scheduler went on; then the lock went and it beat again.
    const failed = span(/^airflow\.job_heartbeat_failure:/);
    const end = span(/./).toMs;
    assert.deepEqual(alerting("job-heartbeat-failures"), ["*"]);
    assert.deepEqual(alerting("job-heartbeat-failures", { fromMs: 0, toMs: failed.fromMs - 1 }), []);
    const beatAgain = lines.find((l) => l.atMs > failed.toMs && l.line.startsWith("airflow.scheduler_heartbeat:"));
    assert.ok(beatAgain, "a scheduler heartbeat after the last failed one");
    assert.deepEqual(alerting("job-heartbeat-failures", { fromMs: beatAgain.atMs, toMs: end }), []);
    // The scheduler kept scheduling: every run ended (CAPTURE_RUNS), some after the failure.
    assert.ok(lines.some((l) => l.atMs > failed.toMs && l.line.startsWith("airflow.dagrun.duration.")), "a run ended after the failed heartbeat");
  });
});

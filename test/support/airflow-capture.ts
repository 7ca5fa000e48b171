import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { AirflowFiles } from "./airflow-files";
import { runAirflow, type AirflowRunResult } from "./airflow-run";
import { heartbeatFailureSteps, heartbeatRecovered, schedulerBeating } from "./heartbeat-failure";
import type { CapturedDatagram } from "./statsd-listener";

// The StatsD capture: every datagram Airflow 3.1.8's processes sent while the test DAGs
// (test/fixtures/airflow-dags/capture_dags.py) ran, and the recorded copy the monitor tests read
// (test/fixtures/airflow-statsd-capture.txt, refreshed by `npm run capture-airflow-statsd`).

export const CAPTURE_FIXTURE = join(__dirname, "..", "fixtures", "airflow-statsd-capture.txt");

/** Each test DAG that runs, and how its run ends. capture_paused never runs. */
export const CAPTURE_RUNS: Readonly<Record<string, "success" | "failed">> = {
  capture_success: "success",
  capture_exception: "failed",
  capture_fail_exception: "failed",
  capture_retry: "success",
  capture_sensor_timeout: "failed",
  capture_sigkill: "failed",
  capture_sigkill_retry: "success",
  capture_pod_killed: "success",
  capture_long_task: "success",
  capture_mapped: "success",
  capture_saturate: "success",
  capture_deadline: "failed",
  capture_slow_success: "success",
};
export const PAUSED_DAG = "capture_paused";

/** The metric lines of the datagrams (one datagram may pack several), each with its arrival. */
export function captureLines(datagrams: readonly CapturedDatagram[]): { atMs: number; line: string }[] {
  return datagrams.flatMap((d) => d.text.split("\n").filter((line) => line.length > 0).map((line) => ({ atMs: d.atMs, line })));
}

function runsNotEnded(datagrams: readonly CapturedDatagram[]): string[] {
  const lines = captureLines(datagrams).map((l) => l.line);
  return Object.entries(CAPTURE_RUNS)
    .filter(([dag, state]) => !lines.some((line) => line.startsWith(`airflow.dagrun.duration.${state}:`) && line.includes(`dag_id:${dag}`)))
    .map(([dag, state]) => `${dag} (${state})`);
}

/** A DAG file that does not import, added once the runs have ended. */
export const BROKEN_DAG_FILE = "capture_broken.py";
const BROKEN_DAG = "from airflow.sdk import DAG\n\nwith DAG(  # the parenthesis never closes\n";

const sent = (datagrams: readonly CapturedDatagram[], pattern: RegExp) => captureLines(datagrams).some((l) => pattern.test(l.line));

/** The DAG processor runs capture_exception's failing callback after its run ended. */
const callbackFailed = (datagrams: readonly CapturedDatagram[]) => captureLines(datagrams).some((l) => l.line.startsWith("airflow.dag.callback_exceptions:"));

/**
 * Runs Airflow until every test DAG's run has ended and the DAG processor has run its callback,
 * then adds a DAG file that does not import until the import error is reported. Beside the runs,
 * the scheduler's heartbeat fails while its job row is locked, and recovers once it is not
 * (test/support/heartbeat-failure.ts).
 * The block list is emptied: the capture is everything Airflow sends, and the tests apply the
 * platform's block list (test/unit/airflow-capture-*.test.ts).
 */
export function captureAirflowStatsd(files: AirflowFiles): Promise<AirflowRunResult> {
  return runAirflow({
    files,
    metricsBlockList: "",
    alongside: { startWhen: schedulerBeating, steps: heartbeatFailureSteps() },
    then: [
      // An import error: the DAG processor reports it on its next pass over the folder.
      // (It names airflow and DAG: in safe mode the processor skips a file that names neither.)
      { action: (run) => writeFileSync(`${run.dagsFolder}/${BROKEN_DAG_FILE}`, BROKEN_DAG), done: (received) => sent(received, /^airflow\.dag_processing\.import_errors:[1-9]/) },
    ],
    done: (received) => runsNotEnded(received).length === 0 && callbackFailed(received),
    stalled: (control, received) => {
      const notEnded = runsNotEnded(received);
      if (notEnded.length === 0) return undefined;
      const states = control.database.as(control.database.masterUser, control.database.masterPassword, "SELECT dag_id || ' ' || state FROM dag_run");
      if (states.status !== 0) return undefined;
      const ended = new Set(states.stdout.split("\n").map((line) => line.trim()).filter((line) => /\s(success|failed)$/.test(line)).map((line) => line.split(" ")[0]));
      const waiting = notEnded.filter((run) => ended.has(run.split(" ")[0]));
      return waiting.length === notEnded.length ? `the database has these runs ended, but their dagrun.duration datagram never arrived (lost on a loaded machine?): ${waiting.join(", ")}` : undefined;
    },
    missing: (received) =>
      `runs not ended: ${runsNotEnded(received).join(", ") || "none"}; dag.callback_exceptions ${callbackFailed(received) ? "arrived" : "did not arrive"}; ` +
      `a failed and recovered scheduler heartbeat ${heartbeatRecovered(received) ? "arrived" : "did not arrive"}; ` +
      `an import error ${sent(received, /^airflow\.dag_processing\.import_errors:[1-9]/) ? "arrived" : "did not arrive"}`,
  });
}

const HEADER = [
  "# Every StatsD datagram Airflow 3.1.8 sent while the DAGs in test/fixtures/airflow-dags ran",
  "# (scheduler, DAG processor, triggerer, API server, task processes; LocalExecutor; DogStatsD",
  "# client as the platform configures it, but no metrics_block_list); beside the runs, the",
  "# scheduler's job row is locked until a heartbeat fails, then released; then a DAG file that",
  "# does not import is added. One datagram a line: milliseconds since the listener",
  "# started, a tab, the datagram as a JSON string. Refresh: npm run capture-airflow-statsd",
];

export function writeCapture(datagrams: readonly CapturedDatagram[], file = CAPTURE_FIXTURE): void {
  writeFileSync(file, [...HEADER, ...datagrams.map((d) => `${d.atMs}\t${JSON.stringify(d.text)}`), ""].join("\n"));
}

export function readCapture(file = CAPTURE_FIXTURE): CapturedDatagram[] {
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line.length > 0 && !line.startsWith("#"))
    .map((line) => {
      const tab = line.indexOf("\t");
      return { atMs: Number(line.slice(0, tab)), text: JSON.parse(line.slice(tab + 1)) as string };
    });
}

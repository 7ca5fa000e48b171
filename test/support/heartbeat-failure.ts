import type { AirflowRunControl, AirflowRunStep } from "./airflow-run";
import { holdRowLock, type HeldRowLock } from "./held-row-lock";
import type { CapturedDatagram } from "./statsd-listener";

// A job heartbeat that fails while the job keeps running, for real. Airflow 3.1.8's
// Job.heartbeat (airflow/jobs/job.py) writes `latest_heartbeat` with an UPDATE of the job's row
// in a session of its own and, on sqlalchemy's OperationalError, counts `job_heartbeat_failure`,
// keeps the old timestamp and returns: the scheduler goes on scheduling. Here another session
// holds the scheduler's job row (SELECT … FOR UPDATE, an open transaction); the heartbeat's
// UPDATE waits for it and, after `lock_timeout`, fails with LockNotAvailable (55P03), a psycopg2
// OperationalError. Once the lock is released the next heartbeat succeeds.
//
// The timeout applies to UPDATEs of `job` only (a statement trigger sets it for the statement's
// transaction): a role-wide lock_timeout would also cut short the ordinary waits of the other
// components (the execution API locks a task instance's row), and fail tasks on a busy machine.

/** How long a heartbeat waits for the held row before it fails. */
const LOCK_TIMEOUT_MS = 1000;

const TIMEOUT_ON_JOB_UPDATES = [
  `CREATE FUNCTION capture_job_lock_timeout() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM set_config('lock_timeout', '${LOCK_TIMEOUT_MS}', true); RETURN NULL; END $$`,
  "CREATE TRIGGER capture_job_lock_timeout BEFORE UPDATE ON job FOR EACH STATEMENT EXECUTE FUNCTION capture_job_lock_timeout()",
];

const lines = (received: readonly CapturedDatagram[]) => received.flatMap((d) => d.text.split("\n"));
const failedHeartbeats = (received: readonly CapturedDatagram[]) => lines(received).filter((line) => line.startsWith("airflow.job_heartbeat_failure:")).length;

/** A scheduler heartbeat sent after the last failed one: the job's heartbeat recovered. */
export function heartbeatRecovered(received: readonly CapturedDatagram[]): boolean {
  let failed = false;
  let beatSince = false;
  for (const line of lines(received)) {
    if (line.startsWith("airflow.job_heartbeat_failure:")) [failed, beatSince] = [true, false];
    else if (line.startsWith("airflow.scheduler_heartbeat:")) beatSince = true;
  }
  return failed && beatSince;
}

/** Starts once the scheduler has sent a heartbeat (its job row is there and running). */
export const schedulerBeating = (received: readonly CapturedDatagram[]) => lines(received).some((line) => line.startsWith("airflow.scheduler_heartbeat:"));

/** Lock the scheduler's job row until a heartbeat has failed, then release it until one succeeds. */
export function heartbeatFailureSteps(): AirflowRunStep[] {
  let lock: HeldRowLock | undefined;
  return [
    {
      action: async (control: AirflowRunControl) => {
        for (const sql of TIMEOUT_ON_JOB_UPDATES) {
          const result = control.database.as(control.database.masterUser, control.database.masterPassword, sql);
          if (result.status !== 0) throw new Error(`setting lock_timeout on the job table: ${sql}: ${result.stderr}`);
        }
        const held = await holdRowLock(control.database, "SELECT id FROM job WHERE job_type = 'SchedulerJob' AND state = 'running'");
        control.adopt(held.session);
        if (held.rows !== 1) throw new Error(`expected the one running scheduler's job row to lock, locked ${held.rows}`);
        lock = held;
      },
      done: (received) => failedHeartbeats(received) > 0,
    },
    {
      action: async () => {
        await lock?.release();
      },
      done: heartbeatRecovered,
    },
  ];
}

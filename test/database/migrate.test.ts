import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { after, before, describe, it } from "node:test";
import { activeLoginRole, AIRFLOW_OWNER_ROLE } from "../../constructs/database/airflow-roles";
import { startAirflowDatabase, type AirflowDatabase } from "../support/airflow-database";
import { databaseTestEnvironment } from "../support/database-environment";
import { venvProgram } from "../support/python";
import { serverLog, SUPERUSER } from "../support/real-postgres";
import { tempDir } from "../support/temp";

// Airflow 3.1.8 (the airflow venv) migrating its schema as the chart's migration Job runs it:
// `airflow db migrate` with AIRFLOW__DATABASE__SQL_ALCHEMY_CONN from the connection Secret, that
// is through the project's PgBouncer (transaction pooling) as the PgBouncer-only client login,
// which PgBouncer forwards as Airflow's least-privilege login role; then `airflow db check`.
// Transaction pooling and session state: Airflow takes its migration lock (pg_advisory_lock, and
// SET LOCK_TIMEOUT) on a connection of its own whose transaction stays open until the unlock, so
// both land on the one server connection PgBouncer pins to that transaction. The test shows it:
// the lock is held while the migration runs and released after, and a second run (the path of
// every later upgrade) goes through the same lock.

const config = databaseTestEnvironment();
const TIMEOUT_MS = 600_000;

interface Run {
  readonly code: number | null;
  readonly output: string;
}

describe("airflow db migrate as the chart's migration Job runs it, through PgBouncer", () => {
  let database: AirflowDatabase;
  let env: NodeJS.ProcessEnv;

  before(async () => {
    database = await startAirflowDatabase(config, { pollSeconds: 1 });
    env = {
      ...process.env,
      AIRFLOW_HOME: tempDir("airflow-home"),
      // What the chart's Job gets from the connection Secret (metadataConnectionUri), pointed here.
      AIRFLOW__DATABASE__SQL_ALCHEMY_CONN: database.clientUri(),
      AIRFLOW__CORE__LOAD_EXAMPLES: "False",
    };
  });

  after(async () => database?.stop());

  function airflow(args: readonly string[], whileRunning?: () => void): Promise<Run> {
    return new Promise((resolve) => {
      const child = spawn(venvProgram("airflow", "airflow"), args, { env, stdio: ["ignore", "pipe", "pipe"] });
      let output = "";
      child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
      const timer = setTimeout(() => child.kill("SIGKILL"), TIMEOUT_MS);
      const poll = whileRunning ? setInterval(whileRunning, 100) : undefined;
      child.on("exit", (code) => {
        clearTimeout(timer);
        if (poll) clearInterval(poll);
        resolve({ code, output });
      });
    });
  }

  const advisoryLocks = () => database.server.superuser("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted");

  it("creates the schema as Airflow's login role, holding its migration lock for the run and releasing it", async (t) => {
    const started = Date.now();
    const logBefore = serverLog(database.server).length;
    let lockSeen = false;
    const run = await airflow(["db", "migrate"], () => {
      if (advisoryLocks() !== "0") lockSeen = true;
    });
    assert.equal(run.code, 0, run.output);
    assert.match(run.output, /Airflow database tables created|Database migrating done/);
    assert.ok(lockSeen, "the migration lock was never seen held");
    assert.equal(advisoryLocks(), "0", "the migration lock outlived the migration");
    // Every table belongs to the owner role; nothing to the master user or a login.
    const owners = database.server.superuser("SELECT string_agg(DISTINCT pg_get_userbyid(relowner), ',') FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'S', 'v')", database.server.databaseName);
    assert.equal(owners, AIRFLOW_OWNER_ROLE);
    // Only Airflow's active login logged in to PostgreSQL for it (PgBouncer's server login), never
    // the master user (the test's own superuser queries on the local socket aside).
    const users = [...serverLog(database.server).slice(logBefore).matchAll(/connection authorized: user=(\w+)/g)].map((m) => m[1]);
    assert.deepEqual([...new Set(users.filter((u) => u !== SUPERUSER))], [activeLoginRole(database.generation)]);
    t.diagnostic(`airflow db migrate on an empty database: ${Date.now() - started} ms`);
  });

  it("runs again on the migrated schema (every later upgrade), then airflow db check passes", async (t) => {
    const started = Date.now();
    const again = await airflow(["db", "migrate"]);
    assert.equal(again.code, 0, again.output);
    assert.equal(advisoryLocks(), "0", "the migration lock outlived the second migration");
    const check = await airflow(["db", "check"]);
    assert.equal(check.code, 0, check.output);
    assert.match(check.output, /Connection successful/);
    t.diagnostic(`second airflow db migrate and db check: ${Date.now() - started} ms`);
  });
});

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { activeLoginRole, AIRFLOW_LOGIN_ROLES, type AirflowLoginRole } from "../../constructs/database/airflow-roles";
import { pgbouncerServerConnections } from "../../configuration/rules/airflow-rules";
import { createProbeTable, psqlInBackground, sleep, startAirflowDatabase, type AirflowDatabase } from "../support/airflow-database";
import { startLoad, type LoadResult, type RunningLoad } from "../support/db-load";
import { databaseTestEnvironment } from "../support/database-environment";
import { runBootstrap } from "../support/run-bootstrap";

// The password changes a running platform sees, made for real while clients work: RDS rotating
// the master password, the documented rotation of Airflow's own password (bump
// database.airflowPasswordGeneration by one; the apply replaces the random_password whose keeper
// changed, runs the bootstrap, then rewrites PgBouncer's config Secret, which the kubelet swaps
// into the pod and the supervisor reloads), a revert (carried out) and the changes that are refused.
// Passwords are random as Terraform makes them. The load runs until the events the test waits
// for have happened, however slow the machine; every wait has a generous bound that fails.

const config = databaseTestEnvironment();
const WAIT_MS = 180_000;

function assertClean(name: string, result: LoadResult): void {
  const details = `${name}: ${result.errors.join("; ")}\n${result.output}`;
  assert.equal(result.code, 0, details);
  assert.equal(result.failed, 0, details);
  assert.ok(result.transactions > 0, details);
}

async function until(what: string, check: () => boolean): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${WAIT_MS} ms waiting for ${what}`);
    await sleep(100);
  }
}

/** Both loads have committed `count` more transactions each: clients kept working past an event. */
async function progress(loads: readonly RunningLoad[], count: number, what: string): Promise<void> {
  await Promise.all(loads.map((load) => load.progressBy(count, WAIT_MS, what)));
}

describe("password changes against real PgBouncer and PostgreSQL", () => {
  let database: AirflowDatabase;
  const running: RunningLoad[] = [];

  before(async () => {
    database = await startAirflowDatabase(config, { pollSeconds: 1 });
    createProbeTable(database);
  });

  after(async () => {
    await Promise.all(running.map((load) => load.stop()));
    await database?.stop();
  });

  /** Components holding their connections, and task pods connecting as they start. */
  function startClients(held: number, fresh: number): RunningLoad[] {
    const loads = [startLoad(database.clientUri(), { clients: held }), ...(fresh > 0 ? [startLoad(database.clientUri(), { clients: fresh, connectEach: true })] : [])];
    running.push(...loads);
    return loads;
  }

  async function stopClients(loads: readonly RunningLoad[]): Promise<LoadResult[]> {
    const results = await Promise.all(loads.map((load) => load.stop()));
    for (const load of loads) running.splice(running.indexOf(load), 1);
    return results;
  }

  const pool = pgbouncerServerConnections({ ...config.airflow.pgbouncer, replicas: 1 });

  /** PgBouncer's server connections are all the given login's. */
  const onLogin = (login: AirflowLoginRole) => () => {
    const counts = database.serverConnections();
    return counts[login] > 0 && AIRFLOW_LOGIN_ROLES.every((other) => other === login || counts[other] === 0);
  };

  /**
   * Every server connection the pool will open is open, as the login: with more clients than
   * the pool, that is the whole pool. Until then PgBouncer is still logging in server
   * connections, and a reload that changes the connect string kills one in the middle of its
   * login and counts that as a failed login, failing clients that wait (pgbouncer#1536;
   * docs/database.md). Rotations are minutes apart in real life; here they wait for this.
   */
  const settledOn = (login: AirflowLoginRole) => () => onLogin(login)() && database.serverConnections()[login] === pool;

  it("RDS rotating the master password touches nothing that runs, even PgBouncer restarted afterwards (safely)", async () => {
    const server = database.server;
    const loads = startClients(20, 0);
    await progress(loads, 50, "clients working before the rotation");
    const oldMaster = server.masterPassword;
    // What RDS's rotation does to the master user.
    const rotated = server.as(server.masterUser, oldMaster, `ALTER ROLE ${server.masterUser} PASSWORD 'rotated-master-password-2'`);
    assert.equal(rotated.status, 0, rotated.stderr);
    server.masterPassword = "rotated-master-password-2";
    await progress(loads, 50, "clients working after the rotation");
    const [during] = await stopClients(loads);
    assertClean("clients during the rotation", during);
    // Stopped as Kubernetes stops it, PgBouncer lets a transaction in flight finish first.
    const inFlight = psqlInBackground(database.clientUri(), "BEGIN; UPDATE probe SET n = n + 1 WHERE id = 1; SELECT pg_sleep(2); COMMIT;");
    await until("the transaction in flight", () => server.superuser("SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%pg_sleep(2)%' AND state = 'active' AND pid <> pg_backend_pid()") !== "0");
    await database.restartPgbouncer();
    const finished = await inFlight;
    assert.equal(finished.code, 0, `the transaction in flight during the restart: ${finished.output}`);
    const afterRestart = startClients(20, 0);
    await progress(afterRestart, 50, "clients working after PgBouncer restarted");
    const [result] = await stopClients(afterRestart);
    assertClean("clients after PgBouncer restarted", result);
    // The bootstrap reads the secret on every run, so it follows the rotation; the old one is dead.
    const request = { generation: database.generation, passwords: database.passwords.current() };
    const rerun = runBootstrap(server, request).bootstrap;
    assert.equal(rerun.status, 0, rerun.stderr);
    assert.notEqual(runBootstrap(server, request, { user: server.masterUser, password: oldMaster }).bootstrap.status, 0);
  });

  it("rotates Airflow's own password twice under load without a failed transaction", async (t) => {
    const loads = startClients(pool, 10);
    const samples: number[] = [];
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const counts = database.serverConnections();
        samples.push(counts.airflow_blue + counts.airflow_green);
        await sleep(200);
      }
    })();
    try {
      await progress(loads, 50, "clients working before the rotations");
      const start = database.generation;
      await until(`the pool full on ${activeLoginRole(start)}`, settledOn(activeLoginRole(start)));
      const first = database.passwords.current()[activeLoginRole(start)];
      for (const generation of [start + 1, start + 2]) {
        const next = activeLoginRole(generation);
        const previous = activeLoginRole(generation - 1);
        const inUse = database.passwords.current()[previous];
        // The apply's order: new passwords in state, the Job sets the new one, then PgBouncer's Secret.
        const deployed = database.deploy(generation);
        assert.equal(deployed.status, 0, deployed.stderr);
        assert.equal(database.passwords.current()[previous], inUse, `the apply renewed ${previous}, which PgBouncer uses`);
        await until(`PgBouncer's pool full on ${next}`, settledOn(next));
        await progress(loads, 50, `clients working on ${next}`);
      }
      // Two rotations on, the first generation's password of that login is no longer accepted.
      const login = activeLoginRole(start);
      assert.notEqual(database.passwords.current()[login], first);
      assert.notEqual(database.server.as(login, first, "SELECT 1").status, 0);
    } finally {
      sampling = false;
      await sampler;
    }
    const [held, fresh] = await stopClients(loads);
    assertClean("clients holding connections", held);
    assertClean("clients connecting per transaction", fresh);
    assert.equal((database.pgbouncer.output().match(/configuration changed, reloading/g) ?? []).length, 2, database.pgbouncer.output());
    const most = Math.max(...samples);
    assert.ok(most <= pool, `PostgreSQL saw ${most} server connections during the rotations; the pool allows ${pool}`);
    t.diagnostic(`rotation under load: ${held.transactions + fresh.transactions} transactions, 0 failed, at most ${most} server connections (pool ${pool})`);
  });

  it("carries out a revert, refuses a jump by two and a return after a refused apply, all before changing anything", async (t) => {
    const loads = startClients(pool, 5);
    await progress(loads, 50, "clients working before the changes");
    await until(`the pool full on ${activeLoginRole(database.generation)}`, settledOn(activeLoginRole(database.generation)));
    // A rotation first, so that there is a bump to revert whatever ran before.
    const deployed = database.generation + 1;
    const inUse = activeLoginRole(deployed);
    const rotated = database.deploy(deployed);
    assert.equal(rotated.status, 0, rotated.stderr);
    await until(`PgBouncer's pool full on ${inUse}`, settledOn(inUse));

    // A `git revert` of the last bump: PgBouncer goes back to the other login, whose password the
    // database still has; the one it leaves is renewed in state only, never set while in use.
    const back = deployed - 1;
    const reverted = database.deploy(back);
    assert.equal(reverted.status, 0, reverted.stderr);
    await until(`PgBouncer's pool full on ${activeLoginRole(back)} after the revert`, settledOn(activeLoginRole(back)));
    await progress(loads, 50, "clients working after the revert");

    const refusals: [number, RegExp][] = [
      // A jump by two: the login in use would be active again with a new password.
      [back + 2, new RegExp(`${back + 2} was given, but the database is at generation ${back}, where PgBouncer logs in as ${activeLoginRole(back)}: ${back + 2} would give ${activeLoginRole(back)} a new password while PgBouncer uses it`)],
      // Back to the deployed generation: the refused apply renewed its password in state.
      [back, new RegExp(`generation ${back} is deployed, but the password Terraform now holds for ${activeLoginRole(back)}, which PgBouncer uses, is not the one the database has`)],
    ];
    for (const [generation, message] of refusals) {
      const refused = database.deploy(generation);
      assert.notEqual(refused.status, 0, `generation ${back} → ${generation} was carried out`);
      assert.match(refused.stderr, message);
      assert.match(refused.stderr, /database\.airflowPasswordGeneration in environment test/);
      assert.match(refused.stderr, new RegExp(`Set database\\.airflowPasswordGeneration to ${back + 1} in environment test`));
      assert.match(refused.stderr, /Nothing was changed/);
      await progress(loads, 20, `clients working after ${back} → ${generation} was refused`);
    }
    // PgBouncer's files are rewritten only after a bootstrap that succeeded (as the Secret depends on the Job).
    assert.equal(database.generation, back, "PgBouncer's config Secret was rewritten after a refused bootstrap");
    assert.ok(onLogin(activeLoginRole(back))(), `PgBouncer still logs in as ${activeLoginRole(back)}`);

    // What the message says is right: one more than deployed.
    const forward = database.deploy(back + 1);
    assert.equal(forward.status, 0, forward.stderr);
    await until(`PgBouncer's pool full on ${inUse} again`, settledOn(inUse));
    await progress(loads, 50, `clients working on ${inUse}`);
    const [held, fresh] = await stopClients(loads);
    assertClean("clients holding connections", held);
    assertClean("clients connecting per transaction", fresh);
    t.diagnostic(`a revert, 2 refused changes and a rotation under load: ${held.transactions + fresh.transactions} transactions, 0 failed`);
  });
});

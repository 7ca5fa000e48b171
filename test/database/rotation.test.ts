import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { activeLoginRole } from "../../constructs/database/airflow-roles";
import { loadEnvironments } from "../../environments";
import { pgbouncerServerConnections } from "../../configuration/rules/airflow-rules";
import { createProbeTable, loginPasswords, pgbench, psqlInBackground, sleep, startAirflowDatabase, type AirflowDatabase, type PgbenchResult } from "../support/airflow-database";
import { runBootstrap } from "../support/run-bootstrap";

// The two password changes a running platform sees, made for real while clients work: RDS
// rotating the master password, and the documented rotation of Airflow's own password (bump
// database.airflowPasswordGeneration; the apply runs the bootstrap, then rewrites PgBouncer's
// config Secret, which the kubelet swaps into the pod and the supervisor reloads).

const [prod] = loadEnvironments("prod");

function assertClean(name: string, result: PgbenchResult): void {
  assert.equal(result.code, 0, `${name}:\n${result.output}`);
  assert.equal(result.failed, 0, `${name}:\n${result.output}`);
  assert.doesNotMatch(result.output, /aborted|error/i, `${name}:\n${result.output}`);
  assert.ok(result.transactions > 0, `${name}:\n${result.output}`);
}

async function until(what: string, deadlineMs: number, check: () => boolean): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

describe("password changes against real PgBouncer and PostgreSQL", () => {
  let database: AirflowDatabase;

  before(async () => {
    database = await startAirflowDatabase(prod, { pollSeconds: 1 });
    createProbeTable(database);
  });

  after(async () => database?.stop());

  it("RDS rotating the master password touches nothing that runs, even PgBouncer restarted afterwards (safely)", async () => {
    const server = database.server;
    const during = pgbench(database.clientUri(), { clients: 20, seconds: 3 });
    await sleep(1000);
    const oldMaster = server.masterPassword;
    // What RDS's rotation does to the master user.
    const rotated = server.as(server.masterUser, oldMaster, `ALTER ROLE ${server.masterUser} PASSWORD 'rotated-master-password-2'`);
    assert.equal(rotated.status, 0, rotated.stderr);
    server.masterPassword = "rotated-master-password-2";
    assertClean("clients during the rotation", await during);
    // Stopped as Kubernetes stops it, PgBouncer lets a transaction in flight finish first.
    const inFlight = psqlInBackground(database.clientUri(), "BEGIN; UPDATE probe SET n = n + 1 WHERE id = 1; SELECT pg_sleep(2); COMMIT;");
    await sleep(500);
    await database.restartPgbouncer();
    const finished = await inFlight;
    assert.equal(finished.code, 0, `the transaction in flight during the restart: ${finished.output}`);
    assertClean("clients after PgBouncer restarted", await pgbench(database.clientUri(), { clients: 20, seconds: 2 }));
    // The bootstrap reads the secret on every run, so it follows the rotation; the old one is dead.
    assert.equal(runBootstrap(server, loginPasswords(database.generation)).bootstrap.status, 0);
    const stale = runBootstrap(server, loginPasswords(database.generation), { user: server.masterUser, password: oldMaster });
    assert.notEqual(stale.bootstrap.status, 0);
  });

  it("rotates Airflow's own password twice under load without a failed transaction", async (t) => {
    const pool = pgbouncerServerConnections({ ...prod.airflow.pgbouncer, replicas: 1 });
    const seconds = 20;
    // Components holding their connections, and task pods connecting as they start.
    const held = pgbench(database.clientUri(), { clients: 40, seconds });
    const fresh = pgbench(database.clientUri(), { clients: 10, seconds, connectEach: true });
    let running = 2;
    void held.then(() => running--);
    void fresh.then(() => running--);
    const samples: number[] = [];
    const sampler = (async () => {
      while (running > 0) {
        const counts = database.serverConnections();
        samples.push(counts.airflow_blue + counts.airflow_green);
        await sleep(200);
      }
    })();

    await sleep(2000);
    const start = database.generation;
    for (const generation of [start + 1, start + 2]) {
      const next = activeLoginRole(generation);
      const previous = activeLoginRole(generation - 1);
      // The order the apply keeps: the database learns the new password before PgBouncer uses it.
      database.bootstrap(generation);
      // Until PgBouncer reloads, it opens server connections with the password it has: still good.
      const stillUsed = database.server.as(previous, loginPasswords(generation - 1)[previous], "SELECT 1");
      assert.equal(stillUsed.status, 0, `${previous} lost its password before PgBouncer moved off it: ${stillUsed.stderr}`);
      database.writePgbouncerConfig(generation);
      await until(`PgBouncer on ${next}`, 30_000, () => {
        const counts = database.serverConnections();
        return counts[next] > 0 && counts[previous] === 0;
      });
      assert.equal(running, 2, `the load ended before generation ${generation} was in use`);
    }
    // Two rotations on, the first generation's password of that login is no longer accepted.
    const login = activeLoginRole(start);
    assert.notEqual(loginPasswords(start + 2)[login], loginPasswords(start)[login]);
    assert.notEqual(database.server.as(login, loginPasswords(start)[login], "SELECT 1").status, 0);

    const [heldResult, freshResult] = await Promise.all([held, fresh]);
    await sampler;
    assertClean("clients holding connections", heldResult);
    assertClean("clients connecting per transaction", freshResult);
    assert.equal((database.pgbouncer.output().match(/configuration changed, reloading/g) ?? []).length, 2, database.pgbouncer.output());
    const most = Math.max(...samples);
    assert.ok(most <= pool, `PostgreSQL saw ${most} server connections during the rotations; the pool allows ${pool}`);
    t.diagnostic(`rotation under load: ${heldResult.transactions + freshResult.transactions} transactions, 0 failed, at most ${most} server connections (pool ${pool})`);
  });
});

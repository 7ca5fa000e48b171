import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { AIRFLOW_RELEASE_NAME } from "../../constructs/airflow/chart-versions";
import { metadataDatabaseAlias, PGBOUNCER_CLIENT_USER, PGBOUNCER_STATS_USER } from "../../constructs/airflow/pgbouncer-config";
import { activeLoginRole } from "../../constructs/database/airflow-roles";
import { pgbouncerServerConnections } from "../../configuration/rules/airflow-rules";
import { databaseTestEnvironment } from "../support/database-environment";
import { createProbeTable, psql, sleep, startAirflowDatabase, STATS_PASSWORD, type AirflowDatabase } from "../support/airflow-database";
import { startLoad } from "../support/db-load";

// Debian's PgBouncer with the suite's environment as the project writes it (ini, auth file, HBA
// file, under the supervisor the pod runs), in front of PostgreSQL set up like RDS: who gets in
// where, over what, and how many server connections PostgreSQL ever sees.

const config = databaseTestEnvironment();
const alias = metadataDatabaseAlias(AIRFLOW_RELEASE_NAME);
const login = activeLoginRole(0);

describe("PgBouncer as the project configures it, in front of PostgreSQL set up like RDS", () => {
  let database: AirflowDatabase;

  before(async () => {
    database = await startAirflowDatabase(config, { pollSeconds: 1 });
    createProbeTable(database);
  });

  after(async () => database?.stop());

  it("takes Airflow's URI to its database as the active login, over TLS from PgBouncer to PostgreSQL", () => {
    const session = psql(database.clientUri(), "SELECT session_user, current_user, current_database()");
    assert.equal(session.status, 0, session.stderr);
    assert.equal(session.stdout.trim(), `${login}|airflow_owner|airflow`);
    const tls = database.server.superuser(`SELECT count(*), bool_and(s.ssl) FROM pg_stat_activity a JOIN pg_stat_ssl s USING (pid) WHERE a.usename = '${login}'`);
    assert.match(tls, /^[1-9]\d*\|t$/, `every server connection of ${login} uses TLS: ${tls}`);
  });

  it("refuses Airflow's login with a wrong password", () => {
    const wrong = psql(database.clientUri("not-the-client-password"), "SELECT 1");
    assert.notEqual(wrong.status, 0);
    assert.match(wrong.stderr, /SASL authentication failed|password authentication failed/);
  });

  it("lets the stats login run SHOW POOLS and nothing that opens a database or changes PgBouncer", () => {
    const pools = psql(database.statsUri(), "SHOW POOLS");
    assert.equal(pools.status, 0, pools.stderr);
    assert.match(pools.stdout, new RegExp(`^${alias}\\|${login}\\|`, "m"));
    const statsUrl = new URL(database.statsUri());
    statsUrl.pathname = `/${alias}`;
    const intoDatabase = psql(statsUrl.toString(), "SELECT 1");
    assert.notEqual(intoDatabase.status, 0, "the stats login opened the metadata database");
    assert.match(intoDatabase.stderr, /login rejected/);
    const pause = psql(database.statsUri(), "PAUSE");
    assert.notEqual(pause.status, 0);
    assert.match(pause.stderr, /admin access needed/);
  });

  it("keeps every other login where it belongs: Airflow's off the console, the server login off PgBouncer", () => {
    const clientUrl = new URL(database.clientUri());
    clientUrl.pathname = "/pgbouncer";
    const console = psql(clientUrl.toString(), "SHOW POOLS");
    assert.notEqual(console.status, 0, `${PGBOUNCER_CLIENT_USER} reached the console`);
    const serverLogin = new URL(database.clientUri());
    serverLogin.username = login;
    serverLogin.password = encodeURIComponent(database.passwords.current()[login]);
    const asServer = psql(serverLogin.toString(), "SELECT 1");
    assert.notEqual(asServer.status, 0, "the server login logged in to PgBouncer");
    assert.match(asServer.stderr, /login rejected/);
    const statsAsClient = new URL(database.clientUri(STATS_PASSWORD));
    statsAsClient.username = PGBOUNCER_STATS_USER;
    assert.notEqual(psql(statsAsClient.toString(), "SELECT 1").status, 0);
  });

  it("serves 200 concurrent clients without an error on no more server connections than the pool", async (t) => {
    const pool = pgbouncerServerConnections({ ...config.airflow.pgbouncer, replicas: 1 });
    const clients = 200;
    const load = startLoad(database.clientUri(), { clients });
    const seen: number[] = [];
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        seen.push(database.serverConnections()[login]);
        await sleep(100);
      }
    })();
    try {
      // Until every client has had its turn many times over, however slow the machine.
      await load.progressBy(clients * 10, 180_000, `${clients * 10} transactions from ${clients} clients`);
    } finally {
      sampling = false;
      await sampler;
    }
    const result = await load.stop();
    assert.equal(result.code, 0, result.output);
    assert.equal(result.failed, 0, `${result.errors.join("\n")}\n${result.output}`);
    const most = Math.max(...seen);
    assert.ok(most <= pool, `PostgreSQL saw ${most} server connections; the pool allows ${pool}`);
    assert.ok(most > 1, `the pool was used (${seen.length} samples, at most ${most})`);
    t.diagnostic(`${clients} clients: ${result.transactions} transactions, at most ${most} server connections (pool ${pool}), ${seen.length} samples`);
  });
});

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { after, before, describe, it } from "node:test";
import { psqlInBackground, startAirflowDatabase, TEST_POD_NETWORK, type AirflowDatabase } from "../support/airflow-database";
import { databaseTestEnvironment } from "../support/database-environment";
import { startLoopbackProxy } from "../support/loopback-proxy";
import { serverLog } from "../support/real-postgres";
import { runBootstrap } from "../support/run-bootstrap";
import { tempDir } from "../support/temp";
import { createTestCa } from "../support/test-ca";

// TLS to the database verified as the platform verifies RDS (verify-full: the certificate chains
// to the CA bundle and names the host), by libpq as the bootstrap Job's psql uses it and by
// PgBouncer with the project's ini; and PgBouncer admitting clients only from the pod network.
// PostgreSQL presents a certificate from a CA the test makes, for 127.0.0.1 only.

const config = databaseTestEnvironment();

describe("verified TLS to the database, and PgBouncer's clients from the pod network only", () => {
  let database: AirflowDatabase;
  let otherCa: string;

  before(async () => {
    database = await startAirflowDatabase(config, { pollSeconds: 1 });
    otherCa = createTestCa(tempDir("other-ca"), "not-the-rds-ca").certFile;
  });

  after(async () => database?.stop());

  function libpq(conninfo: string) {
    return spawnSync("psql", ["-X", "-q", "-At", "-d", conninfo, "-c", "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()"], {
      encoding: "utf8",
      env: { ...process.env, PGPASSWORD: database.server.masterPassword, PGCONNECT_TIMEOUT: "20" },
    });
  }

  it("libpq with verify-full accepts the server's certificate and refuses a wrong host name or CA", () => {
    const server = database.server;
    const base = `port=${server.port} user=${server.masterUser} dbname=${server.databaseName} sslmode=verify-full`;
    const good = libpq(`host=127.0.0.1 ${base} sslrootcert=${server.caFile}`);
    assert.equal(good.status, 0, good.stderr);
    assert.equal(good.stdout.trim(), "t");
    // The right address under a name the certificate does not carry.
    const wrongHost = libpq(`host=metadata.other.internal hostaddr=127.0.0.1 ${base} sslrootcert=${server.caFile}`);
    assert.notEqual(wrongHost.status, 0);
    assert.match(wrongHost.stderr, /server certificate for "127\.0\.0\.1"( \(and \d+ other names?\))? does not match host name "metadata\.other\.internal"/);
    const wrongCa = libpq(`host=127.0.0.1 ${base} sslrootcert=${otherCa}`);
    assert.notEqual(wrongCa.status, 0);
    assert.match(wrongCa.stderr, /certificate verify failed/);
  });

  it("the bootstrap Job's scripts refuse a server their CA bundle did not issue or that is not the host they asked for", () => {
    const request = { generation: database.generation, passwords: database.passwords.current() };
    const master = { user: database.server.masterUser, password: database.server.masterPassword };
    const good = runBootstrap(database.server, request, master).bootstrap;
    assert.equal(good.status, 0, good.stderr);
    const wrongCa = runBootstrap(database.server, request, master, { caFile: otherCa }).bootstrap;
    assert.notEqual(wrongCa.status, 0);
    assert.match(wrongCa.stderr, /certificate verify failed/);
    const wrongHost = runBootstrap(database.server, request, master, { host: "localhost" }).bootstrap;
    assert.notEqual(wrongHost.status, 0);
    assert.match(wrongHost.stderr, /does not match host name "localhost"/);
  });

  it("PgBouncer with the project's ini (verify-full) reaches the database only with the right CA and host name", async () => {
    // PgBouncer keeps a client waiting while its server logins fail, so a refusal is a client that
    // never gets in within a few seconds, beside a PgBouncer differing in nothing else that does.
    const attempt = (uri: string) => spawnSync("psql", ["-X", "-q", "-At", "-d", uri, "-c", "SELECT 1"], { encoding: "utf8", env: { ...process.env, PGCONNECT_TIMEOUT: "5" } });
    const handshakesRefused = () => (serverLog(database.server).match(/could not accept SSL connection/g) ?? []).length;
    for (const [what, differences, reaches] of [
      ["the same CA and host name", {}, true],
      ["another CA", { serverCaFile: otherCa }, false],
      ["a host name the certificate does not carry (localhost, which is 127.0.0.1)", { databaseHost: "localhost" }, false],
    ] as const) {
      const refusedBefore = handshakesRefused();
      const other = await database.startAnotherPgbouncer(differences);
      try {
        const result = attempt(other.clientUri);
        if (reaches) assert.equal(result.status, 0, `${what}: ${result.stderr}`);
        else assert.notEqual(result.status, 0, `PgBouncer reached the database with ${what}`);
        // PgBouncer abandons the handshake when the certificate does not chain to its CA file.
        if ("serverCaFile" in differences) assert.ok(handshakesRefused() > refusedBefore, `PostgreSQL saw no refused handshake:\n${serverLog(database.server).slice(-2000)}`);
      } finally {
        await other.pgbouncer.stop();
      }
    }
  });

  it("PgBouncer admits Airflow's and the stats login from the pod network and refuses them from outside it", async () => {
    // 127.0.0.1 is inside TEST_POD_NETWORK (127.0.0.0/25); 127.0.0.200 is outside it.
    assert.equal(TEST_POD_NETWORK, "127.0.0.0/25");
    for (const [source, admitted] of [["127.0.0.100", true], ["127.0.0.200", false]] as const) {
      const proxy = await startLoopbackProxy({ port: database.pgbouncer.port }, source);
      try {
        for (const uri of [database.clientUri(), database.statsUri()]) {
          const url = new URL(uri);
          url.port = String(proxy.port);
          // In the background: the relay runs in this process, which a synchronous psql would block.
          const attempt = await psqlInBackground(url.toString(), url.pathname === "/pgbouncer" ? "SHOW VERSION" : "SELECT 1");
          if (admitted) assert.equal(attempt.code, 0, `${url.username} from ${source}: ${attempt.output}`);
          else {
            assert.notEqual(attempt.code, 0, `${url.username} got in from ${source}, outside the pod network`);
            assert.match(attempt.output, /login rejected/);
          }
        }
      } finally {
        await proxy.close();
      }
    }
  });
});

import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { METADATA_DATABASE_NAME, METADATA_MASTER_USERNAME } from "../../constructs/database/metadata-database";
import { createTestCa, issueServerCertificate } from "./test-ca";
import { freePort, giveToUnprivileged, mustSucceed, POSTGRES_BIN, requireDatabaseTools, runUnprivileged, unprivilegedDir } from "./unprivileged";

// A PostgreSQL 17.9 server (RDS's version, POSTGRES_BIN) set up the way RDS sets one up, on a loopback port of its own:
// SCRAM-SHA-256 passwords, TLS with a certificate from a CA the test makes and nothing but `hostssl`
// (rds.force_ssl), the environment's max_connections, a hidden superuser (`rdsadmin`, reachable
// only on the local socket) and a master user that is not a superuser but a member of
// `rds_superuser` with CREATEDB and CREATEROLE, owning `postgres`, `template1` and `airflow`.
// With `logStatements`, every statement is logged, so tests can show what never reaches the log.
// @see https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Appendix.PostgreSQL.CommonDBATasks.Roles.rds_superuser.html

export const SUPERUSER = "rdsadmin";

export interface RdsLikePostgres {
  readonly port: number;
  readonly masterUser: string;
  masterPassword: string;
  readonly databaseName: string;
  readonly logFile: string;
  /** The certificate of the authority that issued the server's (the test's stand-in for the RDS bundle). */
  readonly caFile: string;
  /** Runs SQL as the hidden superuser over the local socket; returns psql's unaligned output. */
  superuser(sql: string, database?: string): string;
  /** Runs SQL as `user` over TLS (verify-full) on the loopback port; returns the whole result. */
  as(user: string, password: string, sql: string, database?: string): SpawnSyncReturns<string>;
  stop(): void;
}

export async function startRdsLikePostgres(options: { readonly maxConnections: number; readonly logStatements?: boolean }): Promise<RdsLikePostgres> {
  requireDatabaseTools();
  const root = unprivilegedDir("postgres");
  const data = join(root, "data");
  const port = await freePort();
  // Like RDS: a certificate from an authority clients know, naming the address they connect to.
  const ca = createTestCa(root, "test-rds-ca");
  const certificate = issueServerCertificate(ca, root, ["IP:127.0.0.1"]);
  giveToUnprivileged(certificate.keyFile);
  giveToUnprivileged(certificate.certFile);
  mustSucceed(runUnprivileged([`${POSTGRES_BIN}/initdb`, "-D", data, "-U", SUPERUSER, "--auth-local=trust", "--auth-host=reject", "-E", "UTF8", "--no-sync"]), "initdb");
  writeFileSync(
    join(data, "postgresql.conf"),
    [
      `listen_addresses = '127.0.0.1'`,
      `port = ${port}`,
      `unix_socket_directories = '${root}'`,
      `max_connections = ${options.maxConnections}`,
      "superuser_reserved_connections = 3",
      "shared_buffers = 32MB",
      "fsync = off",
      "ssl = on",
      `ssl_cert_file = '${certificate.certFile}'`,
      `ssl_key_file = '${certificate.keyFile}'`,
      "password_encryption = 'scram-sha-256'",
      `log_statement = '${options.logStatements ? "all" : "none"}'`,
      "log_connections = on",
      "",
    ].join("\n"),
    { flag: "a" },
  );
  writeFileSync(join(data, "pg_hba.conf"), [`local all ${SUPERUSER} trust`, "hostssl all all 127.0.0.1/32 scram-sha-256", "host all all all reject", ""].join("\n"));
  const logFile = join(root, "postgres.log");
  mustSucceed(runUnprivileged([`${POSTGRES_BIN}/pg_ctl`, "-D", data, "-l", logFile, "-w", "-t", "60", "start"]), "pg_ctl start");
  // Whatever happens to the test, the server goes with it (by its own pid, nothing broader).
  const postmaster = Number(readFileSync(join(data, "postmaster.pid"), "utf8").split("\n")[0]);
  process.on("exit", () => {
    try {
      process.kill(postmaster, "SIGQUIT");
    } catch {
      // already stopped
    }
  });

  const superuser = (sql: string, database = "postgres") =>
    mustSucceed(
      spawnSync("psql", ["-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-h", root, "-p", String(port), "-U", SUPERUSER, "-d", database, "-c", sql], { encoding: "utf8" }),
      `psql as ${SUPERUSER}: ${sql}`,
    ).trim();
  const masterUser = METADATA_MASTER_USERNAME;
  const server: RdsLikePostgres = {
    port,
    masterUser,
    masterPassword: "initial-master-password-1",
    databaseName: METADATA_DATABASE_NAME,
    logFile,
    caFile: ca.certFile,
    superuser,
    as: (user, password, sql, database = METADATA_DATABASE_NAME) =>
      spawnSync("psql", ["-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-c", sql], {
        encoding: "utf8",
        env: { ...process.env, PGHOST: "127.0.0.1", PGPORT: String(port), PGUSER: user, PGPASSWORD: password, PGDATABASE: database, PGSSLMODE: "verify-full", PGSSLROOTCERT: ca.certFile, PGCONNECT_TIMEOUT: "30" },
      }),
    stop: () => {
      runUnprivileged([`${POSTGRES_BIN}/pg_ctl`, "-D", data, "-m", "immediate", "-w", "stop"]);
    },
  };
  // What RDS has made before anyone logs in: the master user, its databases, rdsadmin's own.
  superuser(`CREATE ROLE rds_superuser NOLOGIN`);
  superuser(`CREATE ROLE ${masterUser} LOGIN CREATEDB CREATEROLE IN ROLE rds_superuser PASSWORD '${server.masterPassword}'`);
  superuser(`ALTER DATABASE postgres OWNER TO ${masterUser}`);
  superuser(`ALTER DATABASE template1 OWNER TO ${masterUser}`);
  superuser(`CREATE DATABASE rdsadmin`);
  superuser(`REVOKE ALL ON DATABASE rdsadmin FROM PUBLIC`);
  superuser(`CREATE DATABASE ${METADATA_DATABASE_NAME} OWNER ${masterUser}`);
  return server;
}

export function serverLog(server: RdsLikePostgres): string {
  return readFileSync(server.logFile, "utf8");
}

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { AIRFLOW_LOGIN_ROLES, AIRFLOW_OWNER_ROLE } from "../../constructs/database/airflow-roles";
import { serverLog, startRdsLikePostgres, type RdsLikePostgres } from "../support/real-postgres";
import { databaseTestEnvironment } from "../support/database-environment";
import { runBootstrap } from "../support/run-bootstrap";

// The bootstrap Job's scripts and SQL against a PostgreSQL set up like RDS (its
// max_connections): what it leaves behind, that it can run again, and what Airflow's roles
// cannot do.

const config = databaseTestEnvironment();
const passwords = { airflow_blue: "b1ueLoginPasswordFromTheStack0123456789abcdefAB", airflow_green: "gr33nLoginPasswordFromTheStack0123456789abcdefA" };
// Generation 0 sets airflow_blue's password, generation 1 airflow_green's (the Job sets only the
// active login's); every later run is a rerun of generation 1.
const logins = { generation: 1, passwords };
const [blue, green] = AIRFLOW_LOGIN_ROLES;
const ours = [AIRFLOW_OWNER_ROLE, ...AIRFLOW_LOGIN_ROLES].map((r) => `'${r}'`).join(", ");

/** Everything the bootstrap decides, as the superuser sees it. */
function state(server: RdsLikePostgres): string {
  return [
    server.superuser(`SELECT rolname, rolsuper, rolinherit, rolcreaterole, rolcreatedb, rolcanlogin, rolreplication, rolbypassrls, rolconnlimit, rolconfig FROM pg_roles WHERE rolname IN (${ours}) ORDER BY 1`),
    server.superuser(`SELECT m.rolname, g.rolname FROM pg_auth_members a JOIN pg_roles m ON m.oid = a.member JOIN pg_roles g ON g.oid = a.roleid ORDER BY 1, 2`),
    server.superuser(`SELECT datname, pg_get_userbyid(datdba), datacl FROM pg_database ORDER BY 1`),
    server.superuser(`SELECT relname, pg_get_userbyid(relowner) FROM pg_class WHERE relnamespace = 'public'::regnamespace ORDER BY 1`, server.databaseName),
  ].join("\n");
}

describe("the database bootstrap, against PostgreSQL set up like RDS", () => {
  let server: RdsLikePostgres;

  before(async () => {
    server = await startRdsLikePostgres({ maxConnections: config.database.maxConnections, logStatements: true });
    // What an earlier version of this project left: Airflow's tables owned by the master user.
    // A schema of its own holding a table: the schema must change hands before the table can.
    const legacy = server.as(
      server.masterUser,
      server.masterPassword,
      "CREATE TYPE run_state AS ENUM ('queued', 'running'); CREATE TABLE legacy_run (id serial PRIMARY KEY, state run_state); CREATE SCHEMA legacy_plugin; CREATE TABLE legacy_plugin.job (id int)",
    );
    assert.equal(legacy.status, 0, legacy.stderr);
    // Another database on the instance, with data Airflow has no business reading.
    server.superuser(`CREATE DATABASE reporting OWNER ${server.masterUser}`);
    const reporting = server.as(server.masterUser, server.masterPassword, "CREATE TABLE payroll (salary int); INSERT INTO payroll VALUES (1)", "reporting");
    assert.equal(reporting.status, 0, reporting.stderr);
  });

  after(() => server?.stop());

  it("runs twice with the same result and leaves SCRAM verifiers, not passwords, in the catalog", () => {
    assert.equal(server.superuser("SHOW server_version"), "17.9", "the suite runs RDS's version");
    const first = runBootstrap(server, { generation: 0, passwords });
    assert.equal(first.bootstrap.status, 0, first.bootstrap.stderr);
    assert.match(first.readSecret.stdout, new RegExp(`read the master credentials of ${server.masterUser}`));
    const rotated = runBootstrap(server, logins);
    assert.equal(rotated.bootstrap.status, 0, rotated.bootstrap.stderr);
    const once = state(server);
    const second = runBootstrap(server, logins);
    assert.equal(second.bootstrap.status, 0, second.bootstrap.stderr);
    assert.equal(state(server), once);
    assert.equal(server.superuser(`SELECT count(*) FROM pg_authid WHERE rolname IN (${ours}) AND rolpassword LIKE 'SCRAM-SHA-256$%'`), "2");
  });

  it("makes the owner own Airflow's database, and the logins plain members of it acting as it", () => {
    assert.equal(server.superuser(`SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = '${server.databaseName}'`), AIRFLOW_OWNER_ROLE);
    const roles = server.superuser(`SELECT rolname, rolsuper OR rolcreatedb OR rolcreaterole OR rolreplication OR rolbypassrls, rolcanlogin, array_to_string(rolconfig, ',') FROM pg_roles WHERE rolname IN (${ours}) ORDER BY 1`);
    assert.equal(roles, [`${blue}|f|t|role=${AIRFLOW_OWNER_ROLE}`, `${green}|f|t|role=${AIRFLOW_OWNER_ROLE}`, `${AIRFLOW_OWNER_ROLE}|f|f|`].join("\n"));
    for (const login of AIRFLOW_LOGIN_ROLES) {
      assert.equal(server.superuser(`SELECT string_agg(g.rolname, ',') FROM pg_auth_members a JOIN pg_roles g ON g.oid = a.roleid WHERE a.member = '${login}'::regrole`), AIRFLOW_OWNER_ROLE);
      assert.equal(server.superuser(`SELECT pg_has_role('${login}', 'rds_superuser', 'MEMBER')`), "f");
    }
    const session = server.as(blue, passwords.airflow_blue, "SELECT session_user, current_user");
    assert.equal(session.stdout.trim(), `${blue}|${AIRFLOW_OWNER_ROLE}`, session.stderr);
  });

  it("keeps both logins out of every other database, while the master user still gets in", () => {
    for (const database of ["postgres", "template1", "reporting", "rdsadmin"]) {
      for (const login of AIRFLOW_LOGIN_ROLES) {
        const attempt = server.as(login, passwords[login], "SELECT 1", database);
        assert.notEqual(attempt.status, 0, `${login} opened ${database}`);
        assert.match(attempt.stderr, new RegExp(`permission denied for database "${database}"`));
      }
    }
    assert.equal(server.as(server.masterUser, server.masterPassword, "SELECT count(*) FROM payroll", "reporting").stdout.trim(), "1");
  });

  it("gives what one login creates to the owner, so the other login can change it after a swap", () => {
    const created = server.as(blue, passwords.airflow_blue, "CREATE TABLE dag_run_probe (id serial PRIMARY KEY)");
    assert.equal(created.status, 0, created.stderr);
    assert.equal(server.superuser(`SELECT pg_get_userbyid(relowner) FROM pg_class WHERE relname = 'dag_run_probe'`, server.databaseName), AIRFLOW_OWNER_ROLE);
    const altered = server.as(green, passwords.airflow_green, "ALTER TABLE dag_run_probe ADD COLUMN note text; DROP TABLE dag_run_probe");
    assert.equal(altered.status, 0, altered.stderr);
  });

  it("adopts the schemas, tables, sequences and types the master user made in Airflow's database", () => {
    const owners = server.superuser(
      [
        `SELECT c.relname || ':' || pg_get_userbyid(c.relowner) FROM pg_class c WHERE c.relname IN ('legacy_run', 'legacy_run_id_seq', 'job')`,
        `SELECT 'run_state:' || pg_get_userbyid(typowner) FROM pg_type WHERE typname = 'run_state'`,
        `SELECT nspname || ':' || pg_get_userbyid(nspowner) FROM pg_namespace WHERE nspname = 'legacy_plugin' ORDER BY 1`,
      ].join(" UNION ALL "),
      server.databaseName,
    );
    assert.equal(owners, ["job", "legacy_plugin", "legacy_run", "legacy_run_id_seq", "run_state"].map((name) => `${name}:${AIRFLOW_OWNER_ROLE}`).join("\n"));
    const migrated = server.as(green, passwords.airflow_green, "ALTER TABLE legacy_run ADD COLUMN note text; ALTER TYPE run_state ADD VALUE IF NOT EXISTS 'failed'; ALTER TABLE legacy_plugin.job ADD COLUMN note text");
    assert.equal(migrated.status, 0, migrated.stderr);
  });

  it("never sends a login's password to the server: the statement log shows only SCRAM verifiers", () => {
    const log = serverLog(server);
    for (const password of Object.values(passwords)) assert.ok(!log.includes(password), "a login password reached the server log");
    assert.match(log, new RegExp(`ALTER USER ${blue} PASSWORD 'SCRAM-SHA-256\\$4096:`));
  });

  it("refuses to finish when an Airflow role has been given membership elsewhere, and fails on a wrong master password", () => {
    server.superuser(`GRANT rds_superuser TO ${green}`);
    const widened = runBootstrap(server, logins);
    assert.notEqual(widened.bootstrap.status, 0);
    assert.match(widened.bootstrap.stderr, new RegExp(`Airflow roles that belong to other roles: ${green} in rds_superuser`));
    server.superuser(`REVOKE rds_superuser FROM ${green}`);
    const wrong = runBootstrap(server, logins, { user: server.masterUser, password: "not-the-master-password" });
    assert.notEqual(wrong.bootstrap.status, 0);
    assert.match(wrong.bootstrap.stderr, /password authentication failed for user "airflow_admin"/);
  });

  it("refuses to finish when an Airflow role holds a privilege outside its database, even in one the Job never opens", () => {
    for (const [grant, revoke, expected] of [
      [`GRANT CONNECT ON DATABASE reporting TO ${blue}`, `REVOKE CONNECT ON DATABASE reporting FROM ${blue}`, `${blue} on database reporting`],
      [`GRANT SELECT ON payroll TO ${green}`, `REVOKE SELECT ON payroll FROM ${green}`, `${green} on pg_class \\d+ in database reporting`],
    ] as const) {
      server.superuser(grant, "reporting");
      const widened = runBootstrap(server, logins);
      server.superuser(revoke, "reporting");
      assert.notEqual(widened.bootstrap.status, 0, `the bootstrap passed with ${grant}`);
      assert.match(widened.bootstrap.stderr, new RegExp(`Airflow roles with privileges outside the airflow database: ${expected}`));
    }
    assert.equal(runBootstrap(server, logins).bootstrap.status, 0, "revoked again, the bootstrap passes");
  });

  it("on PostgreSQL 16 and later, stops before any change when the master user holds no ADMIN OPTION on an Airflow role", () => {
    // What another administrator (or a restore) leaves: a login role made by someone else.
    server.superuser(`DROP ROLE ${green}`);
    server.superuser(`CREATE ROLE ${green} NOLOGIN`);
    const before = state(server);
    const refused = runBootstrap(server, logins);
    assert.notEqual(refused.bootstrap.status, 0);
    assert.match(refused.bootstrap.stderr, new RegExp(`Airflow roles ${green} exist but ${server.masterUser} holds no ADMIN OPTION on them`));
    assert.match(refused.bootstrap.stderr, new RegExp(`GRANT <role> TO ${server.masterUser} WITH ADMIN OPTION`));
    assert.equal(state(server), before, "the refused bootstrap changed something");
    // Granted as the hint says, the bootstrap runs again (the next rotation: blue's password is current).
    server.superuser(`GRANT ${green} TO ${server.masterUser} WITH ADMIN OPTION`);
    const again = runBootstrap(server, { generation: 2, passwords });
    assert.equal(again.bootstrap.status, 0, again.bootstrap.stderr);
    assert.equal(server.superuser(`SELECT rolcanlogin, pg_has_role('${green}', '${AIRFLOW_OWNER_ROLE}', 'USAGE') FROM pg_roles WHERE rolname = '${green}'`), "t|t");
  });
});

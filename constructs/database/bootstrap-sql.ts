import { activeLoginRole, AIRFLOW_LOGIN_ROLES, AIRFLOW_OWNER_ROLE } from "./airflow-roles";
import { adminOptionPreflight, sqlLiteral as literal, verificationBlock } from "./bootstrap-checks";
import { generationGuard, generationRecordStatement } from "./generation-guard";

// The SQL the bootstrap Job runs as the RDS master user, through psql (it uses \gexec and
// \password). Every statement either creates what is missing or sets what exists back to the
// state below, so the script can run any number of times, on a new database or on one an earlier
// version of this project left behind.

function quoted(identifier: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(identifier)) throw new Error(`not a plain SQL identifier: ${identifier}`);
  return identifier;
}

/** What an earlier Airflow may have created as the master user, adopted by the owner role. */
function adoptionStatements(owner: string): string[] {
  const notSystem = (column: string) => `${column} NOT IN ('pg_catalog', 'information_schema') AND ${column} NOT LIKE 'pg\\_%'`;
  const master = "(SELECT oid FROM pg_roles WHERE rolname = current_user)";
  return [
    // Schemas first: a table's new owner must be allowed to create in its schema.
    `SELECT format('ALTER SCHEMA %I OWNER TO ${owner}', nspname) FROM pg_namespace`,
    ` WHERE nspowner = ${master} AND nspname <> 'public' AND ${notSystem("nspname")}`,
    `\\gexec`,
    // Sequences that belong to a column (serial, identity) move with their table.
    `SELECT format('ALTER %s %I.%I OWNER TO ${owner}', CASE c.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE 'TABLE' END, n.nspname, c.relname)`,
    `  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace`,
    ` WHERE c.relowner = ${master} AND c.relkind IN ('r', 'p', 'v', 'm', 'S') AND ${notSystem("n.nspname")}`,
    `   AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype IN ('a', 'i'))`,
    `\\gexec`,
    `SELECT format('ALTER TYPE %I.%I OWNER TO ${owner}', n.nspname, t.typname)`,
    `  FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace`,
    ` WHERE t.typowner = ${master} AND t.typtype IN ('e', 'd', 'r') AND ${notSystem("n.nspname")}`,
    `\\gexec`,
  ];
}

/**
 * The bootstrap as a psql script, in one transaction. The active login's password is set with
 * `\password` (when generation-guard.ts allows it), which reads it twice from standard input
 * and sends the server only a SCRAM verifier, so no password appears in a statement PostgreSQL could log. The database must exist (RDS creates it
 * with the instance); the script connects to it.
 * @see https://www.postgresql.org/docs/17/app-psql.html#APP-PSQL-META-COMMAND-PASSWORD
 */
export function bootstrapSql(input: {
  readonly databaseName: string;
  /** `database.airflowPasswordGeneration`, checked against the one deployed (generation-guard.ts). */
  readonly generation: number;
  /** The environment's name, for the guard's messages. */
  readonly environment: string;
}): string {
  const owner = quoted(AIRFLOW_OWNER_ROLE);
  const logins = AIRFLOW_LOGIN_ROLES.map(quoted);
  const database = quoted(input.databaseName);
  return [
    "\\set ON_ERROR_STOP on",
    // Re-granting an existing membership is a NOTICE; the Job's log keeps to what matters.
    "SET client_min_messages = warning;",
    // All or nothing: a run that fails anywhere leaves the database as it found it.
    "BEGIN;",
    "",
    ...adminOptionPreflight([owner, ...logins]),
    ...generationGuard({ owner, generation: input.generation, environment: input.environment }),
    "",
    `SELECT 'CREATE ROLE ${owner} NOLOGIN' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = ${literal(owner)})`,
    "\\gexec",
    `SELECT format('CREATE ROLE %I LOGIN', name) FROM unnest(ARRAY[${logins.map(literal).join(", ")}]) AS name`,
    ` WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = name)`,
    "\\gexec",
    `ALTER ROLE ${owner} NOLOGIN NOCREATEDB NOCREATEROLE;`,
    ...logins.map((login) => `ALTER ROLE ${login} LOGIN NOCREATEDB NOCREATEROLE INHERIT CONNECTION LIMIT -1;`),
    // Only the login PgBouncer is to use, and only when it is new (generation-guard.ts).
    "\\if :renew",
    `\\password ${activeLoginRole(input.generation)}`,
    "\\endif",
    `GRANT ${owner} TO ${logins.join(", ")};`,
    // Objects a login creates belong to the owner, so the other login can alter them after a swap.
    ...logins.map((login) => `ALTER ROLE ${login} SET role = ${literal(owner)};`),
    // The master user acts as the owner to hand it the database and what an earlier design made.
    `GRANT ${owner} TO CURRENT_USER;`,
    "",
    `ALTER DATABASE ${database} OWNER TO ${owner};`,
    `REVOKE ALL ON DATABASE ${database} FROM PUBLIC;`,
    // RDS leaves postgres and template1 open to every role; close each the master user controls.
    `SELECT format('REVOKE ALL ON DATABASE %I FROM PUBLIC', datname) FROM pg_database`,
    ` WHERE datallowconn AND datname <> ${literal(database)} AND pg_has_role(datdba, 'USAGE')`,
    "\\gexec",
    ...adoptionStatements(owner),
    "",
    ...verificationBlock(owner, logins, database),
    generationRecordStatement({ owner, generation: input.generation }),
    "COMMIT;",
    "",
  ].join("\n");
}

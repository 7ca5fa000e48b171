// PgBouncer's configuration, written by us rather than by the chart: the chart would build it
// from a password in Helm values. Pure functions, so tests read the text without synthesizing.
//
// Two logins, so that a rotation of the database password touches PgBouncer alone: Airflow's
// components and task pods log in to PgBouncer as PGBOUNCER_CLIENT_USER with a password of their
// own that never rotates, and PgBouncer logs in to RDS as the master user (`user=` on each
// database, so one pool per alias), whose password it takes from the same auth file. A task
// started before a rotation keeps working after it.

/** The user Airflow connects to PgBouncer as; it exists only in PgBouncer's auth file. */
export const PGBOUNCER_CLIENT_USER = "airflow";

/** The chart's PgBouncer listens here (`ports.pgbouncer`). */
export const PGBOUNCER_PORT = 6543;

export interface PgbouncerIniInput {
  readonly releaseName: string;
  readonly databaseHost: string;
  readonly databasePort: number;
  readonly databaseName: string;
  readonly metadataPoolSize: number;
  readonly resultBackendPoolSize: number;
  readonly maxClientConnections: number;
  /** The database user PgBouncer logs in to RDS as (its password comes from the auth file). */
  readonly serverUser: string;
}

/** The chart names PgBouncer's Deployment and Service `<release>-pgbouncer`. */
export function pgbouncerName(releaseName: string): string {
  return `${releaseName}-pgbouncer`;
}

/** Client-facing database aliases, as the chart names them. */
export function pgbouncerDatabaseAliases(releaseName: string) {
  return { metadata: `${releaseName}-metadata`, resultBackend: `${releaseName}-result-backend` };
}

/**
 * Transaction pooling (what the chart uses), SCRAM for clients to match RDS, and TLS to RDS,
 * which refuses anything else (`rds.force_ssl`). The server certificate is not verified: the
 * PgBouncer image does not carry the RDS CA bundle.
 */
export function pgbouncerIni(input: PgbouncerIniInput): string {
  const aliases = pgbouncerDatabaseAliases(input.releaseName);
  const target = `host=${input.databaseHost} dbname=${input.databaseName} port=${input.databasePort} user=${input.serverUser}`;
  return [
    "[databases]",
    `${aliases.metadata} = ${target} pool_size=${input.metadataPoolSize}`,
    `${aliases.resultBackend} = ${target} pool_size=${input.resultBackendPoolSize}`,
    "",
    "[pgbouncer]",
    "pool_mode = transaction",
    `listen_port = ${PGBOUNCER_PORT}`,
    "listen_addr = *",
    "auth_type = scram-sha-256",
    "auth_file = /etc/pgbouncer/users.txt",
    // The metrics exporter reads SHOW STATS with the client login.
    `stats_users = ${PGBOUNCER_CLIENT_USER}`,
    "ignore_startup_parameters = extra_float_digits",
    `max_client_conn = ${input.maxClientConnections}`,
    "verbose = 0",
    "log_disconnections = 0",
    "log_connections = 0",
    "server_tls_sslmode = require",
    "server_tls_ciphers = normal",
    "",
  ].join("\n");
}

export interface PgbouncerLogin {
  readonly user: string;
  readonly password: string;
}

/**
 * PgBouncer's auth file, one line per login; a double quote in a name or password is written
 * twice. Values known only at apply time (tokens) pass an `escape` that does the same in Terraform.
 */
export function pgbouncerUsers(logins: readonly PgbouncerLogin[], escape = (text: string) => text.split('"').join('""')): string {
  return logins.map((login) => `"${escape(login.user)}" "${escape(login.password)}"\n`).join("");
}

/** What Airflow connects to: PgBouncer's service, inside the cluster. */
export function metadataConnectionUri(input: {
  readonly user: string;
  readonly encodedPassword: string;
  readonly releaseName: string;
  readonly namespace: string;
}): string {
  const alias = pgbouncerDatabaseAliases(input.releaseName).metadata;
  return `postgresql://${input.user}:${input.encodedPassword}@${pgbouncerName(input.releaseName)}.${input.namespace}:${PGBOUNCER_PORT}/${alias}?sslmode=disable`;
}

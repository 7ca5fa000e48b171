import { RDS_CA_PATH } from "../database/rds-ca";
// PgBouncer's configuration, written by us rather than by the chart: the chart would build it
// from a password in Helm values. Pure functions, so tests read the text and run it in a real
// PgBouncer without synthesizing anything.
//
// Three kinds of login, so that each credential has one job:
// - Airflow's components and task pods log in to PgBouncer as PGBOUNCER_CLIENT_USER, with a
//   password that exists only in PgBouncer's auth file and Airflow's connection Secret;
// - monitoring logs in as PGBOUNCER_STATS_USER, a `stats_users` entry that may run SHOW commands
//   on the admin console and nothing else;
// - PgBouncer logs in to RDS as Airflow's active login role (constructs/database/airflow-roles.ts)
//   through `user=` on the one pooled database, with that role's password from the auth file.
// A database entry with a forced `user=` admits any login PgBouncer has authenticated, so an HBA
// file decides which login may open which database: the client login the metadata pool only,
// the stats login the console only, and the server login nothing at all.

/** The login Airflow connects to PgBouncer as; it exists only in PgBouncer's auth file. */
export const PGBOUNCER_CLIENT_USER = "airflow";

/** The monitoring login: SHOW on PgBouncer's console, no database. */
export const PGBOUNCER_STATS_USER = "pgbouncer_stats";

/** The chart's PgBouncer listens here (`ports.pgbouncer`). */
export const PGBOUNCER_PORT = 6543;

/** Where PgBouncer's pod mounts our config Secret as a directory (see pgbouncer-supervisor.ts). */
export const PGBOUNCER_CONFIG_DIR = "/etc/pgbouncer-config";

/** File names inside the config Secret, and so inside PGBOUNCER_CONFIG_DIR. */
export const PGBOUNCER_FILES = { ini: "pgbouncer.ini", users: "users.txt", hba: "pgbouncer_hba.conf" } as const;

export interface PgbouncerIniInput {
  readonly releaseName: string;
  readonly databaseHost: string;
  readonly databasePort: number;
  readonly databaseName: string;
  readonly metadataPoolSize: number;
  readonly maxClientConnections: number;
  /** The database role PgBouncer logs in to RDS as (its password comes from the auth file). */
  readonly serverLogin: string;
  /** @default PGBOUNCER_CONFIG_DIR */
  readonly configDir?: string;
  /** The CA bundle RDS's certificate must chain to. @default RDS_CA_PATH (mounted from a ConfigMap) */
  readonly serverCaFile?: string;
  /** @default "*" */
  readonly listenAddress?: string;
  /** @default PGBOUNCER_PORT */
  readonly listenPort?: number;
}

/** The chart names PgBouncer's Deployment and Service `<release>-pgbouncer`. */
export function pgbouncerName(releaseName: string): string {
  return `${releaseName}-pgbouncer`;
}

/**
 * The client-facing database alias, as the chart names it. There is no result-backend alias:
 * the KubernetesExecutor has no result backend, and an idle pool would still hold connections.
 */
export function metadataDatabaseAlias(releaseName: string): string {
  return `${releaseName}-metadata`;
}

/**
 * Transaction pooling (what the chart uses), HBA-chosen SCRAM for clients, and TLS to RDS, which
 * refuses anything else (`rds.force_ssl`), verified: the certificate must chain to the RDS bundle
 * (constructs/database/rds-ca.ts) and name the host (`verify-full`). `server_login_retry` is one
 * second, not fifteen: a reload that changes the connect string (a rotation) kills a server
 * connection that is logging in at that moment and counts it as a failed login, failing clients
 * that wait until the next login succeeds (pgbouncer/pgbouncer#1536, docs/database.md).
 * @see https://www.pgbouncer.org/config.html
 */
export function pgbouncerIni(input: PgbouncerIniInput): string {
  const dir = input.configDir ?? PGBOUNCER_CONFIG_DIR;
  const target = `host=${input.databaseHost} dbname=${input.databaseName} port=${input.databasePort} user=${input.serverLogin}`;
  return [
    "[databases]",
    `${metadataDatabaseAlias(input.releaseName)} = ${target} pool_size=${input.metadataPoolSize}`,
    "",
    "[pgbouncer]",
    "pool_mode = transaction",
    `listen_port = ${input.listenPort ?? PGBOUNCER_PORT}`,
    `listen_addr = ${input.listenAddress ?? "*"}`,
    "auth_type = hba",
    `auth_hba_file = ${dir}/${PGBOUNCER_FILES.hba}`,
    `auth_file = ${dir}/${PGBOUNCER_FILES.users}`,
    `stats_users = ${PGBOUNCER_STATS_USER}`,
    "ignore_startup_parameters = extra_float_digits",
    `max_client_conn = ${input.maxClientConnections}`,
    "verbose = 0",
    "log_disconnections = 0",
    "log_connections = 0",
    "server_login_retry = 1",
    "server_tls_sslmode = verify-full",
    `server_tls_ca_file = ${input.serverCaFile ?? RDS_CA_PATH}`,
    "server_tls_ciphers = normal",
    "",
  ].join("\n");
}

/** The exporter sidecar beside PgBouncer reaches the console over loopback. */
const LOOPBACK = "127.0.0.1/32";

/**
 * Who may open what, from where; first match wins and anything unmatched is refused. Clients
 * come from the pod network only (`podNetworkCidrs`: with the VPC CNI, pods take VPC addresses);
 * the stats login also from loopback, where the metrics exporter sidecar runs.
 */
export function pgbouncerHba(releaseName: string, podNetworkCidrs: readonly string[]): string {
  if (podNetworkCidrs.length === 0) throw new Error("PgBouncer's HBA needs the pod network's CIDRs");
  const rules: [string, string, readonly string[]][] = [
    ["# Airflow's components and task pods: the metadata pool, nothing else.", "", []],
    [metadataDatabaseAlias(releaseName), PGBOUNCER_CLIENT_USER, podNetworkCidrs],
    ["# Monitoring (the metrics exporter beside PgBouncer, Datadog's check): SHOW on the console, no database.", "", []],
    ["pgbouncer", PGBOUNCER_STATS_USER, [LOOPBACK, ...podNetworkCidrs.filter((cidr) => cidr !== LOOPBACK)]],
  ];
  return rules
    .flatMap(([database, user, addresses]) => (user === "" ? [database] : addresses.map((address) => `host ${database} ${user} ${address} scram-sha-256`)))
    .map((line) => `${line}\n`)
    .join("");
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
  readonly encodedPassword: string;
  readonly releaseName: string;
  readonly namespace: string;
}): string {
  const alias = metadataDatabaseAlias(input.releaseName);
  return `postgresql://${PGBOUNCER_CLIENT_USER}:${input.encodedPassword}@${pgbouncerName(input.releaseName)}.${input.namespace}:${PGBOUNCER_PORT}/${alias}?sslmode=disable`;
}

/** What the metrics exporter beside PgBouncer connects to: the console, as the stats login. */
export function statsConnectionUri(input: { readonly encodedPassword: string }): string {
  return `postgresql://${PGBOUNCER_STATS_USER}:${input.encodedPassword}@127.0.0.1:${PGBOUNCER_PORT}/pgbouncer?sslmode=disable`;
}

export interface PgbouncerConfigInput extends Omit<PgbouncerIniInput, "serverLogin"> {
  /** Where Airflow's pods connect from (the VPC's CIDR): the only clients PgBouncer admits. */
  readonly podNetworkCidrs: readonly string[];
  /** Airflow's active database login (user and password), as PgBouncer logs in to RDS. */
  readonly server: PgbouncerLogin;
  readonly clientPassword: string;
  readonly statsPassword: string;
  /** Doubles double quotes; Terraform tokens pass one that does it at apply time. */
  readonly escape?: (text: string) => string;
}

/** The config Secret's files, by file name: what PgBouncer's pod mounts. */
export function pgbouncerConfigFiles(input: PgbouncerConfigInput): Record<string, string> {
  const { server, clientPassword, statsPassword, escape, podNetworkCidrs, ...ini } = input;
  const logins = [
    { user: PGBOUNCER_CLIENT_USER, password: clientPassword },
    { user: PGBOUNCER_STATS_USER, password: statsPassword },
    server,
  ];
  return {
    [PGBOUNCER_FILES.ini]: pgbouncerIni({ ...ini, serverLogin: server.user }),
    [PGBOUNCER_FILES.users]: escape ? pgbouncerUsers(logins, escape) : pgbouncerUsers(logins),
    [PGBOUNCER_FILES.hba]: pgbouncerHba(input.releaseName, podNetworkCidrs),
  };
}

import { spawn, spawnSync, type SpawnSyncReturns } from "node:child_process";
import { AIRFLOW_RELEASE_NAME } from "../../constructs/airflow/chart-versions";
import { metadataConnectionUri, pgbouncerConfigFiles, statsConnectionUri } from "../../constructs/airflow/pgbouncer-config";
import { activeLoginRole, AIRFLOW_LOGIN_ROLES, type AirflowLoginRole } from "../../constructs/database/airflow-roles";
import type { EnvironmentConfig } from "../../configuration/schema/environment-config";
import { startPgbouncer, writeSecretVolume, type RunningPgbouncer } from "./real-pgbouncer";
import { startRdsLikePostgres, type RdsLikePostgres } from "./real-postgres";
import { runBootstrap } from "./run-bootstrap";
import { TerraformLoginPasswords } from "./terraform-passwords";
import { freePort, mustSucceed, unprivilegedDir } from "./unprivileged";

// An environment's metadata database path for real: PostgreSQL set up like RDS, the bootstrap
// run as the Job runs it, and PgBouncer under the supervisor with the config Secret's files, all
// produced by the project's functions for that environment; only hosts, ports and passwords are
// this machine's. Airflow's login passwords are random, kept and replaced as Terraform's
// random_password would (TerraformLoginPasswords), and a deploy runs in the apply's order:
// passwords, then the bootstrap Job, then (only if it succeeded) PgBouncer's config Secret.

export const CLIENT_PASSWORD = "clientLoginPasswordOnlyPgbouncerKnows0123456789";
export const STATS_PASSWORD = "statsLoginPasswordForShowCommands0123456789abc";

/** The pod network the tests' PgBouncer admits: the lower half of 127.0.0.0/24, which holds 127.0.0.1. */
export const TEST_POD_NETWORK = "127.0.0.0/25";

export interface AirflowDatabase {
  readonly server: RdsLikePostgres;
  readonly config: EnvironmentConfig;
  readonly pgbouncer: RunningPgbouncer;
  /** The generation PgBouncer's config directory holds. */
  readonly generation: number;
  /** The login passwords in "Terraform state". */
  readonly passwords: TerraformLoginPasswords;
  /** Airflow's connection URI (metadataConnectionUri), pointed at this machine's PgBouncer. */
  clientUri(password?: string): string;
  /** The exporter's stats URI (statsConnectionUri), pointed at this machine's PgBouncer. */
  statsUri(): string;
  /**
   * `terraform apply` of a generation: replaces the passwords whose keepers changed, runs the
   * bootstrap Job, and only if it succeeded rewrites PgBouncer's config Secret volume (as the
   * kubelet would). Returns the Job's result.
   */
  deploy(generation: number): SpawnSyncReturns<string>;
  /** Stops PgBouncer as Kubernetes would and starts a new one on the same files. */
  restartPgbouncer(): Promise<void>;
  /**
   * A second PgBouncer with the same configuration but for what `differences` change (another CA
   * bundle, another host name for the database); the caller stops it. Returns it and Airflow's URI to it.
   */
  startAnotherPgbouncer(differences: { readonly serverCaFile?: string; readonly databaseHost?: string }): Promise<{ readonly pgbouncer: RunningPgbouncer; readonly clientUri: string }>;
  /** Server connections PostgreSQL has open for each Airflow login. */
  serverConnections(): Record<AirflowLoginRole, number>;
  stop(): Promise<void>;
}

function local(uri: string, port: number): string {
  const url = new URL(uri);
  url.hostname = "127.0.0.1";
  url.port = String(port);
  return url.toString();
}

export async function startAirflowDatabase(config: EnvironmentConfig, options: { readonly pollSeconds: number }): Promise<AirflowDatabase> {
  const server = await startRdsLikePostgres({ maxConnections: config.database.maxConnections });
  const configDir = unprivilegedDir("pgbouncer-config");
  const port = await freePort();
  const passwords = new TerraformLoginPasswords();
  let current = 0;
  const files = (generation: number, dir: string, listenPort: number, differences: { readonly serverCaFile?: string; readonly databaseHost?: string } = {}) => {
    const serverLogin = activeLoginRole(generation);
    return pgbouncerConfigFiles({
      releaseName: AIRFLOW_RELEASE_NAME,
      databaseHost: differences.databaseHost ?? "127.0.0.1",
      databasePort: server.port,
      databaseName: server.databaseName,
      metadataPoolSize: config.airflow.pgbouncer.metadataPoolSize,
      maxClientConnections: config.airflow.pgbouncer.maxClientConnections,
      server: { user: serverLogin, password: passwords.current()[serverLogin] },
      clientPassword: CLIENT_PASSWORD,
      statsPassword: STATS_PASSWORD,
      podNetworkCidrs: [TEST_POD_NETWORK],
      serverCaFile: differences.serverCaFile ?? server.caFile,
      configDir: dir,
      listenAddress: "127.0.0.1",
      listenPort,
    });
  };
  const writePgbouncerConfig = (generation: number) => {
    writeSecretVolume(configDir, files(generation, configDir, port));
    current = generation;
  };
  const deploy = (generation: number) => {
    passwords.apply(generation);
    const run = runBootstrap(server, { generation, passwords: passwords.current() }).bootstrap;
    if (run.status === 0) writePgbouncerConfig(generation);
    return run;
  };
  const start = () => startPgbouncer({ configDir, port, pollSeconds: options.pollSeconds });
  mustSucceed(deploy(0), "the first deploy");
  let pgbouncer = await start();
  return {
    server,
    config,
    get generation() {
      return current;
    },
    passwords,
    get pgbouncer() {
      return pgbouncer;
    },
    clientUri: (password = CLIENT_PASSWORD) =>
      local(metadataConnectionUri({ encodedPassword: encodeURIComponent(password), releaseName: AIRFLOW_RELEASE_NAME, namespace: config.airflow.namespace }), port),
    statsUri: () => local(statsConnectionUri({ encodedPassword: encodeURIComponent(STATS_PASSWORD) }), port),
    deploy,
    restartPgbouncer: async () => {
      await pgbouncer.stop();
      pgbouncer = await start();
    },
    startAnotherPgbouncer: async (differences) => {
      const dir = unprivilegedDir("pgbouncer-config");
      const otherPort = await freePort();
      writeSecretVolume(dir, files(current, dir, otherPort, differences));
      const other = await startPgbouncer({ configDir: dir, port: otherPort, pollSeconds: options.pollSeconds });
      const uri = local(metadataConnectionUri({ encodedPassword: encodeURIComponent(CLIENT_PASSWORD), releaseName: AIRFLOW_RELEASE_NAME, namespace: config.airflow.namespace }), otherPort);
      return { pgbouncer: other, clientUri: uri };
    },
    serverConnections: () => {
      const rows = server.superuser(`SELECT usename, count(*) FROM pg_stat_activity WHERE backend_type = 'client backend' AND usename IN (${AIRFLOW_LOGIN_ROLES.map((r) => `'${r}'`).join(", ")}) GROUP BY 1`);
      const counts: Record<AirflowLoginRole, number> = { airflow_blue: 0, airflow_green: 0 };
      for (const line of rows.split("\n").filter(Boolean)) {
        const [role, count] = line.split("|");
        counts[role as AirflowLoginRole] = Number(count);
      }
      return counts;
    },
    stop: async () => {
      try {
        await pgbouncer.stop();
      } finally {
        server.stop();
      }
    },
  };
}

/** psql with a connection URI, as any libpq client would use it. */
export function psql(uri: string, sql: string): SpawnSyncReturns<string> {
  return spawnSync("psql", ["-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-d", uri, "-c", sql], { encoding: "utf8", timeout: 90_000, env: { ...process.env, PGCONNECT_TIMEOUT: "60" } });
}

/** psql in the background, for a transaction that must outlive something else. */
export function psqlInBackground(uri: string, sql: string): Promise<{ readonly code: number | null; readonly output: string }> {
  return new Promise((resolve) => {
    const child = spawn("psql", ["-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-d", uri, "-c", sql], { env: { ...process.env, PGCONNECT_TIMEOUT: "60" } });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("exit", (code) => resolve({ code, output }));
  });
}

/** The table the load (db-load.ts) updates, created through PgBouncer as Airflow would create its tables. */
export function createProbeTable(database: AirflowDatabase): void {
  mustSucceed(psql(database.clientUri(), "CREATE TABLE IF NOT EXISTS probe (id int PRIMARY KEY, n int NOT NULL DEFAULT 0); INSERT INTO probe (id) SELECT generate_series(1, 100) ON CONFLICT DO NOTHING"), "create probe table");
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

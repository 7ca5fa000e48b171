import { spawn, type ChildProcess } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { SSO_CLIENT_SECRET_FILE } from "../../constructs/airflow/webserver-config";
import { writeAirflowHome, type AirflowFiles, type AirflowHome } from "./airflow-files";
import { venvProgram } from "./python";
import { tempDir } from "./temp";
import { freePort } from "./unprivileged";

// Airflow's API server (the pinned Airflow of the airflow venv) run on loopback with the files
// Helm renders for the platform: its airflow.cfg and webserver_config.py, and its command. What
// differs from the pod, and only because there is no cluster: the metadata database is SQLite in
// memory-backed storage (Airflow's migrated schema reused per airflow.lock); the client secret's
// path in webserver_config.py points at a file the test writes (the pod mounts the Secret at the
// path the text names); one uvicorn worker; the port.

/** The files Helm renders for Airflow, and the API server container's args (e.g. `bash -c "exec airflow api-server"`). */
export interface ApiServerFiles {
  readonly files: AirflowFiles;
  readonly args: readonly string[];
}

export interface AirflowRunOptions {
  /** PEM file of the certificate authority Python trusts (the test IdP's). */
  readonly caBundle?: string;
  /** Directories put ahead of the airflow venv on Python's path (for example the login venv). */
  readonly pythonPath?: readonly string[];
}

/** What the chart's Secrets give every Airflow container, made once per test process. */
const SECRETS = {
  AIRFLOW__CORE__FERNET_KEY: randomBytes(32).toString("base64url") + "=",
  AIRFLOW__API__SECRET_KEY: randomBytes(32).toString("hex"),
  AIRFLOW__API_AUTH__JWT_SECRET: randomBytes(64).toString("hex"),
};

const live = new Set<ChildProcess>();
const databaseDirs: string[] = [];
const cleanUp = () => {
  for (const child of live) if (child.pid) killGroup(child.pid);
  for (const dir of databaseDirs) rmSync(dir, { recursive: true, force: true });
};
process.on("exit", cleanUp);
// A cancelled run (Ctrl-C, the test runner's timeout) leaves no API server behind either.
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    cleanUp();
    process.exit(1);
  });
}

/**
 * A SQLite file in memory-backed storage where there is some: Airflow's migration and FAB's
 * permission sync commit thousands of times, and each commit's fsync on a busy disk costs more
 * than all of Airflow's own work.
 */
function databaseFile(): string {
  const dir = mkdtempSync(join(existsSync("/dev/shm") ? "/dev/shm" : tmpdir(), "airflow-platform-login-db-"));
  databaseDirs.push(dir);
  return join(dir, "airflow.db");
}

function killGroup(pid: number): void {
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // already gone
  }
}

function airflowEnv({ home, env }: AirflowHome, database: string, run: AirflowRunOptions, extra: Readonly<Record<string, string>>): NodeJS.ProcessEnv {
  const bin = dirname(venvProgram("airflow", "airflow"));
  return {
    PATH: `${bin}:${process.env.PATH ?? "/usr/bin:/bin"}`,
    HOME: home,
    LANG: "C.UTF-8",
    ...env,
    AIRFLOW__CORE__SQL_ALCHEMY_CONN: `sqlite:///${database}`,
    AIRFLOW__DATABASE__SQL_ALCHEMY_CONN: `sqlite:///${database}`,
    AIRFLOW__CORE__DAGS_FOLDER: join(home, "dags"),
    AIRFLOW__LOGGING__BASE_LOG_FOLDER: join(home, "logs"),
    ...SECRETS,
    // The chart gives the node's address (status.hostIP).
    AIRFLOW__METRICS__STATSD_HOST: "127.0.0.1",
    ...(run.caBundle ? { REQUESTS_CA_BUNDLE: run.caBundle, SSL_CERT_FILE: run.caBundle } : {}),
    ...(run.pythonPath?.length ? { PYTHONPATH: run.pythonPath.join(":") } : {}),
    ...extra,
  };
}

/**
 * An AIRFLOW_HOME with the rendered files, as the API server's pod mounts them, the client
 * secret's path pointed at `secretPath`; for `job` as the chart's jobs mount them (user and
 * migration jobs get no webserver_config.py, so FAB's CLI never reads the client secret).
 */
function airflowHome(rendered: ApiServerFiles, secretPath: string | undefined | "job", dagFiles: Readonly<Record<string, string>>): AirflowHome {
  const home = writeAirflowHome(rendered.files);
  mkdirSync(join(home.home, "dags"));
  mkdirSync(join(home.home, "logs"));
  if (secretPath === "job") {
    rmSync(join(home.home, "webserver_config.py"));
  } else if (secretPath !== undefined) {
    const literal = JSON.stringify(SSO_CLIENT_SECRET_FILE);
    const config = rendered.files.webserverConfig;
    if (config.split(literal).length !== 2) throw new Error(`webserver_config.py names the client secret file ${literal} other than once`);
    writeFileSync(join(home.home, "webserver_config.py"), config.replace(literal, JSON.stringify(secretPath)));
  }
  for (const [name, text] of Object.entries(dagFiles)) writeFileSync(join(home.home, "dags", name), text);
  return home;
}

/** Runs a command to its end; a failure carries its output. */
function runToEnd(args: readonly string[], env: NodeJS.ProcessEnv, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(args[0], args.slice(1), { env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`${what} exited ${code}:\n${output.slice(-4000)}`))));
  });
}

export interface PreparedDatabase {
  /** A migrated SQLite file; each API server gets its own copy. */
  readonly template: string;
  /** Whether this run migrated it (false: the schema came from the cache). */
  readonly migrated: boolean;
}

const SCHEMA_CACHE = join(__dirname, "..", "..", "node_modules", ".cache", "airflow-platform", "login-schema");

/**
 * `airflow db migrate` into `database`, or a copy of the schema it made before for the same
 * python/airflow.lock (Airflow's migrations change only with Airflow): the migration is most of
 * the suite's start-up, and an empty schema holds nothing of a run.
 */
async function migratedSchema(home: AirflowHome, database: string): Promise<boolean> {
  const digest = createHash("sha256").update(readFileSync(join(__dirname, "..", "..", "python", "airflow.lock"))).digest("hex").slice(0, 16);
  const cached = join(SCHEMA_CACHE, `airflow-${digest}.db`);
  if (existsSync(cached)) {
    copyFileSync(cached, database);
    return false;
  }
  await runToEnd(["airflow", "db", "migrate"], airflowEnv(home, database, {}, {}), "airflow db migrate");
  mkdirSync(SCHEMA_CACHE, { recursive: true });
  const partial = `${cached}.${process.pid}`;
  copyFileSync(database, partial);
  renameSync(partial, cached);
  return true;
}

/**
 * Migrates a metadata database (or copies the cached schema), then runs the given setup commands
 * against it side by side (for example the platform's break-glass user script and `airflow dags
 * reserialize`), each with its `env` added. SQLite serialises their writes.
 */
export async function prepareDatabase(files: ApiServerFiles, dagFiles: Readonly<Record<string, string>>, setup: readonly { readonly args: readonly string[]; readonly env: Readonly<Record<string, string>> }[]): Promise<PreparedDatabase> {
  const home = airflowHome(files, "job", dagFiles);
  const template = databaseFile();
  const migrated = await migratedSchema(home, template);
  await Promise.all(setup.map((step) => runToEnd(step.args, airflowEnv(home, template, {}, step.env), step.args.join(" "))));
  return { template, migrated };
}

export interface ApiServerOptions extends AirflowRunOptions {
  readonly files: ApiServerFiles;
  readonly database: PreparedDatabase;
  readonly dagFiles: Readonly<Record<string, string>>;
  /** The OAuth client secret, written where webserver_config.py reads it. */
  readonly clientSecret?: string;
  /** Environment variables set on the API server (for example the password-login switch). */
  readonly env?: Readonly<Record<string, string>>;
}

export interface RunningApiServer {
  /** http://127.0.0.1:<port>: the API server itself, plain HTTP as in the pod. */
  readonly url: string;
  readonly port: number;
  output(): string;
  stop(): Promise<void>;
}

/** Starts the API server as the chart's command does and resolves once uvicorn serves. */
export async function startApiServer(options: ApiServerOptions): Promise<RunningApiServer> {
  const secretPath = options.clientSecret === undefined ? undefined : join(tempDir("sso-secret"), "client-secret");
  if (secretPath) writeFileSync(secretPath, `${options.clientSecret}\n`, { mode: 0o600 });
  const home = airflowHome(options.files, secretPath, options.dagFiles);
  const database = databaseFile();
  copyFileSync(options.database.template, database);
  // SQLite folds its write-ahead log into the file when the last writer closes; if one is left, it is part of the data.
  if (existsSync(`${options.database.template}-wal`)) copyFileSync(`${options.database.template}-wal`, `${database}-wal`);
  const port = await freePort();
  const env = airflowEnv(home, database, options, { AIRFLOW__API__HOST: "127.0.0.1", AIRFLOW__API__PORT: String(port), AIRFLOW__API__WORKERS: "1", ...options.env });
  const [command, ...args] = options.files.args;
  const child = spawn(command, args, { env, cwd: home.home, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  live.add(child);
  let output = "";
  const exited = new Promise<void>((resolve) => child.on("close", () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const look = (chunk: Buffer) => {
      output += chunk.toString();
      // Logged once the socket listens (after "Application startup complete").
      if (output.includes("Uvicorn running on")) resolve();
    };
    child.stdout?.on("data", look);
    child.stderr?.on("data", look);
    child.on("close", (code) => reject(new Error(`the API server exited ${code} before serving:\n${output.slice(-6000)}`)));
  });
  const stop = async () => {
    if (child.exitCode === null && child.pid) killGroup(child.pid);
    await exited;
    live.delete(child);
  };
  return { url: `http://127.0.0.1:${port}`, port, output: () => output, stop };
}

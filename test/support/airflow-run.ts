import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { cpSync, createWriteStream, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { writeAirflowHome, type AirflowFiles } from "./airflow-files";
import { venvProgram } from "./python";
import { startRdsLikePostgres, type RdsLikePostgres } from "./real-postgres";
import { startStatsdListener, type CapturedDatagram } from "./statsd-listener";
import { freePort, mustSucceed } from "./unprivileged";

// Airflow 3.1.8 from the project's venv, run on this machine with the files the real Helm renders
// (test/support/airflow-files.ts: airflow.cfg, webserver_config.py, airflow_local_settings.py): the
// scheduler, the DAG processor, the triggerer and the API server, each its own process as in the
// cluster, the metadata database on a real PostgreSQL on loopback (test/support/real-postgres.ts,
// set up like RDS). What differs from the cluster is given to Airflow as environment variables,
// over the file, and only that:
//   - LocalExecutor in place of KubernetesExecutor (no cluster here): the scheduler runs each
//     task in a local process through the same task runner and execution API a task pod uses;
//   - the database URL, the execution API's URL, the DAG and log folders, keys;
//   - StatsD to a loopback UDP listener instead of the node's agent;
//   - scheduler, DAG processor and metrics intervals of a second or two, and a task instance
//     heartbeat timeout of 10 s, so a run of seconds shows what a night shows in minutes;
//     parallelism 4 for two cores.
// Every process is stopped by its own process group id when the run ends, also on failure.

const DAGS = join(__dirname, "..", "fixtures", "airflow-dags");
const DAG_FILES = ["capture_dags.py"];

/** The pool the mapped DAG queues in (capture_dags.py). */
export const ONE_SLOT_POOL = "capture_one_slot";

export interface AirflowRunOptions {
  /** What the chart renders for Airflow to read, for an environment. */
  readonly files: AirflowFiles;
  /** True once what was captured is all the run is for; checked on every datagram. */
  readonly done: (received: readonly CapturedDatagram[]) => boolean;
  /**
   * What happens after `done`, one step at a time: each step's action, then a wait until its
   * condition holds.
   */
  readonly then?: readonly AirflowRunStep[];
  /**
   * Steps taken beside the DAGs' runs, one after another, the first once `startWhen` holds; the
   * run is done only once they are too (so they cost no time of their own).
   */
  readonly alongside?: { readonly startWhen: (received: readonly CapturedDatagram[]) => boolean; readonly steps: readonly AirflowRunStep[] };
  /** A guard against a hang, not a budget: gives up after this long and says what had not arrived. @default 600_000 */
  readonly limitMs?: number;
  /**
   * Over the rendered `[metrics] metrics_block_list`: the capture takes everything Airflow
   * sends (""), and the tests apply the platform's block list to it. @default - as rendered
   */
  readonly metricsBlockList?: string;
  /** Explains what is still missing when the limit is reached. */
  readonly missing: (received: readonly CapturedDatagram[]) => string;
  /**
   * Polled every few seconds: why the run can no longer finish although Airflow is done (say, the
   * database has every run ended but a datagram about one never arrived), or undefined. Still
   * true 30 s later, it fails the run then instead of at the limit.
   */
  readonly stalled?: (control: AirflowRunControl, received: readonly CapturedDatagram[]) => string | undefined;
}

const STALL_POLL_MS = 5_000;
const STALL_GRACE_MS = 30_000;

/** What a step may do to the running Airflow. */
export interface AirflowRunControl {
  /** The DAG folder Airflow reads (a copy of test/fixtures/airflow-dags). */
  readonly dagsFolder: string;
  /** Airflow's metadata database. */
  readonly database: RdsLikePostgres;
  /** A process a step started (detached, its own group): stopped with the components. */
  adopt(child: ChildProcess): void;
}

export interface AirflowRunStep {
  readonly action: (control: AirflowRunControl) => void | Promise<void>;
  readonly done: (received: readonly CapturedDatagram[]) => boolean;
}

export interface AirflowRunResult {
  readonly datagrams: readonly CapturedDatagram[];
  /** Seconds spent in each phase, for the suite's printout. */
  readonly timings: Readonly<Record<string, number>>;
}

// All four start at once, on an empty DAG folder; the DAGs arrive once the API server answers:
// a task the scheduler starts before the execution API answers fails without running (the
// executor reports it failed while it is still queued).
const COMPONENTS = [
  ["api-server", ["api-server", "--host", "127.0.0.1"]],
  ["dag-processor", ["dag-processor"]],
  ["triggerer", ["triggerer"]],
  ["scheduler", ["scheduler"]],
] as const;

/** Resolves once the API server answers its health check; `failure` settling first rejects. */
async function apiServerUp(port: number, failure: Promise<never>): Promise<void> {
  let failedWith: unknown;
  failure.catch((error: unknown) => {
    failedWith = error;
  });
  for (;;) {
    if (failedWith !== undefined) throw failedWith;
    try {
      const response = await fetch(`http://127.0.0.1:${port}/api/v2/monitor/health`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

function fernetKey(): string {
  return randomBytes(32).toString("base64").replace(/\+/g, "-").replace(/\//g, "_");
}

function tail(file: string): string {
  try {
    return readFileSync(file, "utf8").split("\n").slice(-40).join("\n");
  } catch {
    return "(no log)";
  }
}

/**
 * Stops a component and everything it started (its process group). The capture is complete by
 * then, and a graceful shutdown would only add seconds: the group is killed outright.
 */
function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return Promise.resolve();
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  try {
    process.kill(-child.pid, "SIGKILL");
  } catch {
    return Promise.resolve();
  }
  return exited;
}

export async function runAirflow(options: AirflowRunOptions): Promise<AirflowRunResult> {
  const airflow = venvProgram("airflow", "airflow");
  const timings: Record<string, number> = {};
  let mark = Date.now();
  const phase = (name: string) => {
    timings[name] = (Date.now() - mark) / 1000;
    mark = Date.now();
  };
  const airflowHome = writeAirflowHome(options.files);
  const home = airflowHome.home;
  // A copy, so a step can add a file without touching the repository.
  const dagsFolder = join(home, "dags");
  mkdirSync(dagsFolder);
  const postgres = await startRdsLikePostgres({ maxConnections: 100 });
  const listener = await startStatsdListener();
  const children: ChildProcess[] = [];
  try {
    phase("postgres");
    const apiPort = await freePort();
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: home,
      LANG: "C.UTF-8",
      // The DAG folder is in the repository: no __pycache__ next to it.
      PYTHONDONTWRITEBYTECODE: "1",
      ...airflowHome.env,
      AIRFLOW__CORE__EXECUTOR: "LocalExecutor",
      AIRFLOW__CORE__PARALLELISM: "4",
      AIRFLOW__CORE__DAGS_FOLDER: dagsFolder,
      AIRFLOW__CORE__LOAD_EXAMPLES: "False",
      AIRFLOW__CORE__FERNET_KEY: fernetKey(),
      AIRFLOW__CORE__EXECUTION_API_SERVER_URL: `http://127.0.0.1:${apiPort}/execution/`,
      AIRFLOW__DATABASE__SQL_ALCHEMY_CONN: `postgresql+psycopg2://${postgres.masterUser}:${postgres.masterPassword}@127.0.0.1:${postgres.port}/${postgres.databaseName}?sslmode=require`,
      AIRFLOW__API__PORT: String(apiPort),
      AIRFLOW__API__WORKERS: "1",
      AIRFLOW__API__SECRET_KEY: randomBytes(16).toString("hex"),
      AIRFLOW__API_AUTH__JWT_SECRET: randomBytes(32).toString("hex"),
      AIRFLOW__LOGGING__BASE_LOG_FOLDER: join(home, "logs"),
      AIRFLOW__METRICS__STATSD_HOST: "127.0.0.1",
      AIRFLOW__METRICS__STATSD_PORT: String(listener.port),
      ...(options.metricsBlockList === undefined ? {} : { AIRFLOW__METRICS__METRICS_BLOCK_LIST: options.metricsBlockList }),
      AIRFLOW__SCHEDULER__SCHEDULER_HEARTBEAT_SEC: "1",
      AIRFLOW__SCHEDULER__JOB_HEARTBEAT_SEC: "1",
      AIRFLOW__TRIGGERER__JOB_HEARTBEAT_SEC: "1",
      // A try whose supervisor died is failed after 10 s without heartbeats, not 300 s; the
      // supervisors of live tries heartbeat every second.
      AIRFLOW__SCHEDULER__TASK_INSTANCE_HEARTBEAT_TIMEOUT: "10",
      AIRFLOW__SCHEDULER__TASK_INSTANCE_HEARTBEAT_TIMEOUT_DETECTION_INTERVAL: "1",
      AIRFLOW__WORKERS__MIN_HEARTBEAT_INTERVAL: "1",
      AIRFLOW__SCHEDULER__POOL_METRICS_INTERVAL: "1",
      AIRFLOW__SCHEDULER__RUNNING_METRICS_INTERVAL: "2",
      AIRFLOW__SCHEDULER__SCHEDULER_IDLE_SLEEP_TIME: "0.5",
      AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL: "5",
      AIRFLOW__DAG_PROCESSOR__PRINT_STATS_INTERVAL: "5",
      AIRFLOW__DAG_PROCESSOR__MIN_FILE_PROCESS_INTERVAL: "5",
    };
    mustSucceed(spawnSync(airflow, ["db", "migrate"], { env, encoding: "utf8", timeout: 180_000 }), "airflow db migrate");
    phase("db migrate");
    postgres.as(postgres.masterUser, postgres.masterPassword, `INSERT INTO slot_pool (pool, slots, description, include_deferred) VALUES ('${ONE_SLOT_POOL}', 1, 'capture', false)`);
    let failed: (error: Error) => void = () => undefined;
    const failure = new Promise<never>((_, reject) => {
      failed = reject;
    });
    const control: AirflowRunControl = { dagsFolder, database: postgres, adopt: (child) => children.push(child) };
    const limitMs = options.limitMs ?? 600_000;
    const limit = setTimeout(() => failed(new Error(`Airflow did not finish within ${limitMs / 1000} s: ${options.missing(listener.received)}\nscheduler log:\n${tail(join(home, "scheduler.log"))}`)), limitMs);
    let stalledSince: number | undefined;
    const { stalled } = options;
    const stallWatch = stalled
      ? setInterval(() => {
          const reason = stalled(control, listener.received);
          if (reason === undefined) stalledSince = undefined;
          else if (stalledSince === undefined) stalledSince = Date.now();
          else if (Date.now() - stalledSince >= STALL_GRACE_MS) failed(new Error(`Airflow is done but the run cannot finish: ${reason}`));
        }, STALL_POLL_MS)
      : undefined;
    const start = (name: string, args: readonly string[]) => {
      const log = join(home, `${name}.log`);
      const out = createWriteStream(log);
      const child = spawn(airflow, [...args], { env, cwd: home, stdio: ["ignore", "pipe", "pipe"], detached: true });
      child.stdout?.pipe(out);
      child.stderr?.pipe(out);
      child.once("exit", (code, signal) => failed(new Error(`airflow ${name} exited (${String(code ?? signal)}) before the run was done:\n${tail(log)}`)));
      children.push(child);
    };
    try {
      for (const [name, args] of COMPONENTS) start(name, args);
      await apiServerUp(apiPort, failure);
      phase("api server up");
      for (const file of DAG_FILES) cpSync(join(DAGS, file), join(dagsFolder, file));
      const steps = async (list: readonly AirflowRunStep[]) => {
        for (const step of list) {
          await step.action(control);
          await listener.until(step.done, failure);
        }
      };
      const { alongside } = options;
      // A step that fails beside the runs fails the run at once, not once the runs have ended.
      const beside = alongside ? listener.until(alongside.startWhen, failure).then(() => steps(alongside.steps)).catch((error: unknown) => failed(error instanceof Error ? error : new Error(String(error)))) : Promise.resolve();
      await listener.until(options.done, failure);
      await Promise.race([beside, failure]);
      await steps(options.then ?? []);
    } catch (error) {
      if (process.env.AIRFLOW_RUN_KEEP) spawnSync("cp", ["-r", home, process.env.AIRFLOW_RUN_KEEP]);
      throw Object.assign(error instanceof Error ? error : new Error(String(error)), { datagrams: [...listener.received] });
    } finally {
      clearTimeout(limit);
      clearInterval(stallWatch);
    }
    phase("runs");
    return { datagrams: [...listener.received], timings };
  } finally {
    for (const child of children) child.removeAllListeners("exit");
    await Promise.all(children.map(stop));
    listener.close();
    postgres.stop();
    phase("stop");
  }
}

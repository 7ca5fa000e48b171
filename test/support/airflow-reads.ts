import { execFile } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { SSO_CLIENT_SECRET_FILE } from "../../constructs/airflow/webserver-config";
import type { EnvironmentConfig } from "../../environments";
import { airflowFiles, writeAirflowHome, type AirflowFiles } from "./airflow-files";
import { venvPython } from "./python";

// Asks the real Airflow 3.1.8 (the airflow venv) what it makes of an environment's rendered
// files: one Python process per environment, started with AIRFLOW_HOME holding those files, as a
// scheduler or API server pod starts (test/helm/airflow-python/reads.py does the asking).

const READS = join(__dirname, "..", "helm", "airflow-python", "reads.py");

/** What the OAuth client secret's mounted file holds in these runs (the API server reads it at start). */
export const TEST_SSO_CLIENT_SECRET = "test-only-client-secret";

/** A task for the KubernetesExecutor to build a pod for. */
export interface PodCase {
  readonly name: string;
  readonly dagId: string;
  readonly taskId: string;
  /** The task's map index; -1 (the default) for a task that is not mapped. */
  readonly mapIndex?: number;
  /** `executor_config["pod_override"]`, as the Kubernetes API's JSON (camelCase) of a V1Pod. */
  readonly podOverride?: Record<string, unknown>;
}

export interface ConfigReads {
  /** What `airflow config lint` prints as issues (in-process, on the environment's file). */
  readonly lint: string[];
  readonly options: string[];
  readonly unknown: string[];
  readonly deprecated: string[];
  readonly removed: string[];
  readonly warnings: string[];
  readonly defaultChanges: string[];
}

export interface AirflowReads {
  readonly config: ConfigReads;
  /** The same checks on `probeCfg`, when given: proof that the checks report what they should. */
  readonly probe?: ConfigReads;
  readonly webserverConfig: {
    settings: string[];
    unread: string[];
    authType: number;
    breakGlassAuthType: number;
    authDb: number;
    oauthProviders: string[];
    clientSecretRead: string[];
    warnings: string[];
  };
  readonly localSettings: { loadedFrom: string; expected: string; policies: string[]; clobbers: string[] };
  readonly podTemplate: { path: string; exists: boolean };
  readonly pods?: Record<string, { pod?: Record<string, unknown>; error?: string }>;
  readonly fabOidc?: { fabVersion: string; user: Record<string, unknown>; userinfoCalls: number };
}

export interface ReadsRequest {
  readonly podCases?: readonly PodCase[];
  /** Claims an identity provider's userinfo endpoint returns, for FAB's `oidc` provider. */
  readonly oidcClaims?: Record<string, unknown>;
  /** An airflow.cfg text to run the option checks on besides the environment's. */
  readonly probeCfg?: string;
}

/** The environment's rendered files, and what real Airflow read from them. */
export async function airflowReads(config: EnvironmentConfig, request: ReadsRequest = {}): Promise<{ files: AirflowFiles; reads: AirflowReads; fileWarnings: string[] }> {
  const files = airflowFiles(config);
  const home = writeAirflowHome(files);
  const probe = request.probeCfg === undefined ? undefined : join(home.home, "probe.cfg");
  if (probe && request.probeCfg !== undefined) writeFileSync(probe, request.probeCfg);
  const secret = join(home.home, "sso-client-secret");
  writeFileSync(secret, `${TEST_SSO_CLIENT_SECRET}\n`);
  const spec = join(home.home, "reads.json");
  writeFileSync(
    spec,
    JSON.stringify({
      cfg: home.env.AIRFLOW_CONFIG,
      webserverConfig: join(home.home, "webserver_config.py"),
      localSettings: join(home.home, "config", "airflow_local_settings.py"),
      secretFiles: { [SSO_CLIENT_SECRET_FILE]: secret },
      probeCfg: probe,
      podCases: request.podCases,
      oidcClaims: request.oidcClaims,
    }),
  );
  // Nothing of this machine's Airflow settings leaks in; the StatsD host is the node's IP in the
  // cluster (AIRFLOW__METRICS__STATSD_HOST from status.hostIP), loopback here.
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("AIRFLOW")));
  const env = { ...inherited, ...home.env, AIRFLOW__METRICS__STATSD_HOST: "127.0.0.1", PYTHONDONTWRITEBYTECODE: "1" };
  // -W default: every warning is printed once per place, and those raised by the rendered files
  // (the local settings Airflow imports at start-up, webserver_config.py) name their path.
  const { stdout, stderr } = await promisify(execFile)(venvPython("airflow"), ["-W", "default", READS, spec], { env, cwd: home.home, maxBuffer: 64 * 1024 * 1024 }).catch((error: { stderr?: string; message: string }) => {
    throw new Error(`${config.name}: Airflow could not read the rendered files: ${error.stderr?.slice(-4000) ?? error.message}`);
  });
  const last = stdout.trim().split("\n").pop() ?? "";
  const fileWarnings = stderr.split("\n").filter((line) => line.includes(home.home) && /Warning\b/.test(line));
  return { files, reads: JSON.parse(last) as AirflowReads, fileWarnings };
}

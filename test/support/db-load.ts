import { spawn } from "node:child_process";
import { join } from "node:path";
import { venvPython } from "./python";

// A load on the database that runs until the test has seen what it waits for (db-load.py), not
// for a fixed time: a busy machine makes every event later, never the load shorter.

export interface LoadResult {
  readonly code: number | null;
  readonly transactions: number;
  readonly failed: number;
  /** The distinct errors clients met (at most ten). */
  readonly errors: readonly string[];
  readonly output: string;
}

export interface RunningLoad {
  /** Transactions committed so far. */
  committed(): number;
  /** Resolves once `count` more transactions have committed; rejects after `timeoutMs`, or if the load died. */
  progressBy(count: number, timeoutMs: number, what: string): Promise<void>;
  /** Lets every client finish its transaction, then reports. */
  stop(): Promise<LoadResult>;
}

export function startLoad(uri: string, options: { readonly clients: number; readonly connectEach?: boolean }): RunningLoad {
  const args = [join(__dirname, "db-load.py"), uri, "--clients", String(options.clients), ...(options.connectEach ? ["--connect-each"] : [])];
  const child = spawn(venvPython("airflow"), args, { stdio: ["pipe", "pipe", "pipe"], env: { ...process.env, PGCONNECT_TIMEOUT: "60" } });
  const killOnExit = () => child.kill("SIGKILL");
  process.on("exit", killOnExit);
  let output = "";
  let committed = 0;
  let exited = false;
  const listeners = new Set<() => void>();
  child.stdout.on("data", (chunk: Buffer) => {
    output += chunk.toString();
    const last = [...output.matchAll(/^progress (\d+) (\d+)$/gm)].pop();
    if (last) committed = Number(last[1]);
    for (const listener of listeners) listener();
  });
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const done = new Promise<number | null>((resolve) =>
    child.on("exit", (code) => {
      exited = true;
      process.off("exit", killOnExit);
      for (const listener of listeners) listener();
      resolve(code);
    }),
  );
  return {
    committed: () => committed,
    progressBy: (count, timeoutMs, what) => {
      const target = committed + count;
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => finish(new Error(`timed out after ${timeoutMs} ms waiting for ${what} (${committed} of ${target} transactions)\n${output.slice(-2000)}`)), timeoutMs);
        const check = () => {
          if (committed >= target) finish();
          else if (exited) finish(new Error(`the load ended while waiting for ${what}\n${output.slice(-2000)}`));
        };
        const finish = (error?: Error) => {
          clearTimeout(timer);
          listeners.delete(check);
          if (error) reject(error);
          else resolve();
        };
        listeners.add(check);
        check();
      });
    },
    stop: async () => {
      child.stdin.end();
      const code = await done;
      const summary = output.trim().split("\n").pop() ?? "";
      let parsed: { transactions?: number; failed?: number; errors?: string[] } = {};
      try {
        parsed = JSON.parse(summary) as typeof parsed;
      } catch {
        // reported below as NaN with the whole output
      }
      return { code, transactions: parsed.transactions ?? NaN, failed: parsed.failed ?? NaN, errors: parsed.errors ?? [], output: output.replace(/^progress .*\n/gm, "") };
    },
  };
}

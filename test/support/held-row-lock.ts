import { spawn, type ChildProcess } from "node:child_process";
import type { RdsLikePostgres } from "./real-postgres";

// A row lock held by a session of its own, as a long transaction or a DBA's open `psql` holds
// one: `SELECT … FOR UPDATE` in a transaction left open until `release`. Writers of the rows wait
// for it (or give up after their `lock_timeout`); readers do not.

export interface HeldRowLock {
  /** The psql session, for the caller to stop with everything else if the test fails. */
  readonly session: ChildProcess;
  /** Commits the transaction (the lock goes) and resolves once the session has ended. */
  release(): Promise<void>;
}

/**
 * Locks the rows `select` returns (a `SELECT … FOR UPDATE`), as the database's master user over
 * TLS; resolves once they are locked, with how many.
 */
export function holdRowLock(database: RdsLikePostgres, select: string): Promise<HeldRowLock & { readonly rows: number }> {
  const session = spawn("psql", ["-X", "-q", "-At", "-v", "ON_ERROR_STOP=1"], {
    env: {
      PATH: process.env.PATH,
      PGHOST: "127.0.0.1",
      PGPORT: String(database.port),
      PGUSER: database.masterUser,
      PGPASSWORD: database.masterPassword,
      PGDATABASE: database.databaseName,
      PGSSLMODE: "verify-full",
      PGSSLROOTCERT: database.caFile,
      PGCONNECT_TIMEOUT: "30",
    },
    stdio: ["pipe", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  session.stdout.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  session.stderr.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  const exited = new Promise<void>((resolve) => session.once("exit", () => resolve()));
  const release = async () => {
    session.stdin.end("COMMIT;\n");
    await exited;
  };
  return new Promise((resolve, reject) => {
    const marker = "-- rows locked --";
    const onData = () => {
      const at = output.indexOf(marker);
      if (at < 0) return;
      session.stdout.off("data", onData);
      resolve({ session, release, rows: output.slice(0, at).split("\n").filter((line) => line.length > 0).length });
    };
    session.stdout.on("data", onData);
    session.once("exit", (code) => reject(new Error(`psql holding a row lock (${select}) exited (${String(code)}): ${output.trim()}`)));
    session.stdin.write(`BEGIN;\n${select} FOR UPDATE;\n\\echo '${marker}'\n`);
  });
}

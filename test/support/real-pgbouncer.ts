import type { ChildProcess } from "node:child_process";
import { mkdirSync, readdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import { pgbouncerSupervisorScript } from "../../constructs/airflow/pgbouncer-supervisor";
import { giveToUnprivileged, spawnUnprivileged } from "./unprivileged";

// Debian's PgBouncer run the way the chart's pod runs it: the project's supervisor script as
// the container command, reading a config directory laid out and updated the way the kubelet
// lays out and updates a Secret volume.

/**
 * Writes files the way the kubelet's atomic writer does: into a fresh timestamped directory,
 * then one rename of the `..data` symlink, so a reader sees either every old file or every new
 * one; each file name is a symlink through `..data`.
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/volume/util/atomic_writer.go
 */
export function writeSecretVolume(dir: string, files: Record<string, string>): void {
  const generation = `..${new Date().toISOString().replace(/[:.]/g, "_")}.${Math.random().toString(36).slice(2, 8)}`;
  const staging = join(dir, generation);
  mkdirSync(staging);
  for (const [name, content] of Object.entries(files)) writeFileSync(join(staging, name), content, { mode: 0o600 });
  for (const name of [staging, ...Object.keys(files).map((f) => join(staging, f))]) giveToUnprivileged(name);
  const link = join(dir, "..data_tmp");
  symlinkSync(generation, link);
  renameSync(link, join(dir, "..data"));
  for (const name of Object.keys(files)) {
    try {
      symlinkSync(join("..data", name), join(dir, name));
    } catch {
      // already linked by an earlier write
    }
  }
  for (const entry of readdirSync(dir)) {
    if (entry.startsWith("..") && entry !== "..data" && entry !== generation) rmSync(join(dir, entry), { recursive: true, force: true });
  }
}

export interface RunningPgbouncer {
  readonly port: number;
  readonly process: ChildProcess;
  /** Everything the supervisor and PgBouncer have printed so far. */
  output(): string;
  /** Sends the signal Kubernetes sends to stop a container; resolves with the exit code once the port is free. */
  stop(): Promise<number | null>;
}

function accepting(port: number): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

async function listening(port: number, deadline: number): Promise<void> {
  while (Date.now() < deadline) {
    if (await accepting(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`PgBouncer is not listening on ${port}`);
}

/** Starts the supervisor (and so PgBouncer) on a config directory written by writeSecretVolume. */
export async function startPgbouncer(options: { readonly configDir: string; readonly port: number; readonly pollSeconds: number }): Promise<RunningPgbouncer> {
  const script = pgbouncerSupervisorScript({ configDir: options.configDir, pollSeconds: options.pollSeconds });
  // Debian installs pgbouncer in /usr/sbin; the supervisor calls it by name, as in the image.
  const child = spawnUnprivileged(["/bin/sh", "-c", script], { PATH: "/usr/sbin:/usr/bin:/bin", HOME: "/tmp" });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  // The supervisor leads its own process group: PgBouncer and any sleep go with it.
  const group = child.pid;
  const killGroup = () => {
    try {
      if (group) process.kill(-group, "SIGKILL");
    } catch {
      // already gone
    }
  };
  process.on("exit", killGroup);
  try {
    await listening(options.port, Date.now() + 20_000);
  } catch (error) {
    killGroup();
    throw new Error(`${(error as Error).message}\n${output}`);
  }
  return {
    port: options.port,
    process: child,
    output: () => output,
    stop: async () => {
      child.kill("SIGTERM");
      const code = await exited;
      // The supervisor exits only after PgBouncer has: nothing may still hold the port.
      if (await accepting(options.port)) {
        // Left running, it would hold the test's output pipes open and the run would never end.
        killGroup();
        throw new Error(`PgBouncer still listens on ${options.port} after its supervisor exited\n${output}`);
      }
      return code;
    },
  };
}

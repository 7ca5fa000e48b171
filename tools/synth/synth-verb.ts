import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { parseArgs } from "node:util";
import { synthesizeEnvironments } from "./synthesize";
import type { CommandIo, EnvironmentModule } from "../common/command-io";
import { selectFrom } from "../common/environment-module";

export interface SynthOptions {
  /** Comma-separated environment names; every environment when empty. */
  readonly selection?: string;
  /** @default - cdktf's: CDKTF_OUTDIR, else cdktf.out */
  readonly outdir?: string;
  /** What the selection came from, for the error on an unknown name. @default "environment selection" */
  readonly selectionSource?: string;
}

function resourceCount(stackDir: string): number {
  const stack = JSON.parse(readFileSync(join(stackDir, "cdk.tf.json"), "utf8")) as { resource?: Record<string, Record<string, unknown>> };
  return Object.values(stack.resource ?? {}).reduce((sum, byName) => sum + Object.keys(byName).length, 0);
}

/**
 * Validates the selected environments (all problems at once, nothing written on failure), then
 * synthesizes one AirflowPlatform each and prints one line per stack: resources and where it is.
 */
export function synthEnvironments(environments: EnvironmentModule, options: SynthOptions, io: CommandIo): number {
  const started = process.hrtime.bigint();
  const app = synthesizeEnvironments(selectFrom(environments, options.selection, options.selectionSource ?? "environment selection"), options.outdir, (message) => io.stderr(`Warning: ${message}\n`));
  const stacksDir = join(app.outdir, "stacks");
  const manifest = JSON.parse(readFileSync(join(app.outdir, "manifest.json"), "utf8")) as { stacks: Record<string, { workingDirectory: string }> };
  const names = Object.keys(manifest.stacks);
  const width = Math.max(...names.map((n) => n.length));
  for (const name of names) {
    const dir = join(app.outdir, manifest.stacks[name].workingDirectory);
    const shown = relative(process.cwd(), join(stacksDir, name));
    io.stdout(`  ${name.padEnd(width)}  ${String(resourceCount(dir)).padStart(4)} resources  ${shown.startsWith("..") ? join(stacksDir, name) : shown}\n`);
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  io.stdout(`Synthesized ${names.length} stacks in ${seconds.toFixed(2)} s\n`);
  return 0;
}

export function synthCommand(argv: readonly string[], environments: EnvironmentModule, io: CommandIo): number {
  const { positionals, values } = parseArgs({ args: [...argv], allowPositionals: true, options: { out: { type: "string" } } });
  return synthEnvironments(environments, { selection: positionals.join(","), outdir: values.out }, io);
}

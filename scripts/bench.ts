// npm run bench: wall time and peak memory of synthesizing every shipped environment, cold, as a
// fresh process each run (median of RUNS). Prints figures; asserts nothing.
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { performance } from "node:perf_hooks";

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const root = resolve(__dirname, "..");

interface Sample {
  readonly wallMs: number;
  readonly synthMs: number;
  readonly maxRssMiB: number;
}

function runOnce(): Sample {
  const started = performance.now();
  const run = spawnSync(process.execPath, ["--import", "tsx", "scripts/synth-probe.ts"], { cwd: root, encoding: "utf8" });
  const wallMs = performance.now() - started;
  if (run.status !== 0) throw new Error(`synth-probe failed:\n${run.stderr}`);
  const reported = JSON.parse(run.stdout) as { synthMs: number; maxRssMiB: number };
  return { wallMs, ...reported };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const samples = Array.from({ length: RUNS }, runOnce);
const rows = [
  ["process wall time (node + tsx + synth)", `${median(samples.map((s) => s.wallMs)).toFixed(0)} ms`],
  ["synthesis inside the process", `${median(samples.map((s) => s.synthMs)).toFixed(0)} ms`],
  ["peak resident memory", `${median(samples.map((s) => s.maxRssMiB)).toFixed(0)} MiB`],
];
process.stdout.write(`Synthesizing ${process.env.AIRFLOW_ENVIRONMENTS ?? "all shipped environments"}: median of ${RUNS} cold runs\n`);
for (const [label, value] of rows) process.stdout.write(`  ${label.padEnd(42)} ${value}\n`);

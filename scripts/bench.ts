// npm run bench: what an engineer waits for. Synthesis of 1, 3, 10 and 30 environments (generated
// from the shipped ones, in the benchmark only) as fresh processes, the `npx cdktf synth` route
// for the shipped three, the offline `terraform plan` of one infrastructure stack, and the
// capacity replay of a 200- and a 2,000-task nightly export. Medians of
// BENCH_RUNS runs (default 3), wall time and peak memory. Prints a table; BENCH_JSON=path also writes the figures. Asserts nothing.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { loadEnvironments } from "../environments";
import { synthesize } from "../test/support/synth";

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const SIZES = (process.env.BENCH_SIZES ?? "1,3,10,30").split(",").map(Number);
const root = resolve(__dirname, "..");

interface Row {
  readonly label: string;
  readonly wallMs: number;
  readonly peakMiB?: number;
  readonly note: string;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

// GNU time reports the largest resident set among a command and the processes it waited for
// (Linux folds a reaped child's peak into its parent's), so the CLI's app or terraform's AWS
// provider counts too. Without it, rows that cannot measure themselves print none.
const GNU_TIME = "/usr/bin/time";
const scratch = mkdtempSync(join(tmpdir(), "airflow-platform-bench-"));

interface Timed {
  readonly wallMs: number;
  readonly stdout: string;
  readonly peakMiB?: number;
}

/** Wall time of a whole child process, and the peak RSS of its largest process when GNU time is here. */
function timed(command: string, args: string[], env: NodeJS.ProcessEnv = {}): Timed {
  const rssFile = join(scratch, "peak-rss");
  const withTime = existsSync(GNU_TIME);
  const [program, argv] = withTime ? [GNU_TIME, ["-f", "%M", "-o", rssFile, command, ...args]] : [command, args];
  const started = performance.now();
  const run = spawnSync(program, argv, { cwd: root, encoding: "utf8", env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 });
  const wallMs = performance.now() - started;
  if (run.status !== 0) throw new Error(`${command} ${args.join(" ")} failed:\n${run.stderr}`);
  const peakKiB = withTime ? Number(readFileSync(rssFile, "utf8").trim().split("\n").pop()) : Number.NaN;
  return { wallMs, stdout: run.stdout, peakMiB: Number.isFinite(peakKiB) ? peakKiB / 1024 : undefined };
}

/** Medians of RUNS samples; peak memory only when every sample measured it. */
function medians(samples: readonly { wallMs: number; peakMiB?: number }[]): { wallMs: number; peakMiB?: number } {
  const peaks = samples.map((s) => s.peakMiB).filter((p): p is number => p !== undefined);
  return { wallMs: median(samples.map((s) => s.wallMs)), peakMiB: peaks.length === samples.length ? median(peaks) : undefined };
}

function synthRow(count: number): Row {
  const samples = Array.from({ length: RUNS }, () => {
    const { wallMs, stdout } = timed(process.execPath, ["scripts/app.js", "scripts/synth-probe.ts"], { BENCH_ENVIRONMENTS: String(count) });
    const probe = JSON.parse(stdout) as { totalMs: number; startupMs: number; maxRssMiB: number };
    return { wallMs, startupMs: probe.startupMs, peakMiB: probe.maxRssMiB };
  });
  const startup = median(samples.map((s) => s.startupMs));
  return {
    label: `synth ${count} environment${count === 1 ? "" : "s"} (${count * 3} stacks)`,
    ...medians(samples),
    note: `${startup.toFixed(0)} ms of it Node and module loading`,
  };
}

/** The same synthesis from the compiled library (`npm run build`): what a consumer of the package pays. */
function compiledRow(): Row {
  timed(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.build.json"]);
  const outdir = mkdtempSync(join(tmpdir(), "airflow-platform-bench-dist-"));
  const program = [
    `const { selectEnvironments } = require(${JSON.stringify(join(root, "dist/environments"))});`,
    `const { synthesizeEnvironments } = require(${JSON.stringify(join(root, "dist/tools/synth/synthesize"))});`,
    `synthesizeEnvironments(selectEnvironments(undefined), ${JSON.stringify(outdir)});`,
    "process.stdout.write(String(process.resourceUsage().maxRSS / 1024));",
  ].join("\n");
  const samples = Array.from({ length: RUNS }, () => {
    const { wallMs, stdout } = timed(process.execPath, ["-e", program]);
    return { wallMs, peakMiB: Number(stdout) };
  });
  return {
    label: "synth 3 environments from dist/ (the packaged library)",
    ...medians(samples),
    note: "after npm run build; what a consumer of the package pays",
  };
}

/** The tsx route, for comparison: `npx tsx main.ts`, what a developer runs to debug. */
function tsxRow(): Row {
  const outdir = mkdtempSync(join(tmpdir(), "airflow-platform-bench-tsx-"));
  const samples = Array.from({ length: RUNS }, () => timed(process.execPath, ["--import", "tsx", "main.ts"], { CDKTF_OUTDIR: outdir }));
  return { label: "synth 3 environments through tsx (node --import tsx main.ts)", ...medians(samples), note: "tsx's loader hooks slow every require" };
}

function cliRow(): Row {
  const outdir = mkdtempSync(join(tmpdir(), "airflow-platform-bench-cli-"));
  const samples = Array.from({ length: RUNS }, () => timed("npx", ["cdktf", "synth", "--output", outdir], { CHECKPOINT_DISABLE: "1", CI: "1" }));
  return { label: "npx cdktf synth (3 environments, CLI route)", ...medians(samples), note: "the CLI starts its own Node and then runs the app" };
}

/** In a child process of its own, so its peak is terraform's and the provider's; wall time is the plan's alone. */
function planRow(): Row {
  const [dev] = loadEnvironments("dev");
  const stackDir = synthesize([dev]).stackDir("dev-infrastructure");
  const program = [
    'const { planOffline } = require("./test/support/terraform");',
    "const started = performance.now();",
    `planOffline(${JSON.stringify(stackDir)});`,
    "process.stdout.write(String(performance.now() - started));",
  ].join("\n");
  const samples = Array.from({ length: RUNS }, () => {
    const run = timed(process.execPath, ["--import", "tsx", "-e", program]);
    return { wallMs: Number(run.stdout), peakMiB: run.peakMiB };
  });
  return { label: "terraform init+validate+plan+show, dev-infrastructure", ...medians(samples), note: "offline, AWS provider from the local mirror; peak is the largest process" };
}

/**
 * The capacity replay of a synthetic nightly export of `tasks` tasks (scripts/nightly-export.ts,
 * three runs) on prod's pools and one machine: parsing and schema-checking the exports, building
 * the workload and both replays, timed inside a fresh process so loading is not counted.
 */
function replayRow(tasks: number): Row {
  const program = [
    'const { nightlyExport } = require("./scripts/nightly-export");',
    'const { parseDagExport, parseRunsExport } = require("./tools/capacity/airflow-export");',
    'const { buildWorkload } = require("./tools/capacity/workload");',
    'const { loadEnvironments } = require("./environments");',
    'const { numberDefaults } = require("./tools/capacity/capacity-arguments");',
    'const { replayNight } = require("./tools/capacity/nightly-replay");',
    'const { priceSourceFor } = require("./tools/capacity/prices");',
    'const { taskPools } = require("./configuration/derived/task-pools");',
    `const exported = nightlyExport({ tasks: ${tasks} });`,
    "const texts = { dag: JSON.stringify(exported.tasks), pages: exported.runs.flatMap((r) => r.pages.map((p) => JSON.stringify(p))) };",
    'const [prod] = loadEnvironments("prod");',
    "const d = numberDefaults(prod);",
    "parseDagExport('warm.json', texts.dag);",
    "const started = performance.now();",
    "const dag = parseDagExport('tasks.json', texts.dag);",
    "const runs = texts.pages.map((t, i) => parseRunsExport(`page-${i}.json`, t));",
    "const workload = buildWorkload(dag, runs, { durations: 'max', defaultPool: 'tasks', defaultRequests: prod.airflow.taskPod, sizes: new Map(Object.entries(prod.airflow.taskSizes)), pools: taskPools(prod).map((p) => p.name), map: { file: 'map', tasks: exported.taskMap.tasks } });",
    "const settings = { nodeJoinSeconds: d['--node-join-seconds'].value, podStartSeconds: d['--pod-start-seconds'].value, scanIntervalSeconds: 10, scaleDownUnneededSeconds: 900, scaleDownDelayAfterAddSeconds: 600, parallelism: d['--parallelism'].value, maxActiveTasks: d['--max-active-tasks'].value, taskQueuedTimeoutSeconds: 600, airflowPoolSlots: new Map([['default_pool', 128]]) };",
    "const report = replayNight(prod, workload, { replay: settings, minNodes: new Map(), maxNodes: new Map(), machine: 'r6i.2xlarge', machineReserve: { cpuMillicores: 2500, memoryMiB: 6144 }, prices: priceSourceFor('eu-west-1', undefined, new Map()), deadlineHours: 8, spotFraction: 0.35, savingsPlanFraction: 0.72, efsGiB: 20, fixedOverrides: new Map() });",
    "const ms = performance.now() - started;",
    "process.stdout.write(JSON.stringify({ ms, rss: process.resourceUsage().maxRSS / 1024, instances: workload.tasks.reduce((n, t) => n + t.units.length, 0), finish: report.platform.result.finishSeconds }));",
  ].join("\n");
  const samples = Array.from({ length: RUNS }, () => {
    const probe = JSON.parse(timed(process.execPath, ["--import", "tsx", "-e", program]).stdout) as { ms: number; rss: number; instances: number; finish: number };
    return { wallMs: probe.ms, peakMiB: probe.rss, instances: probe.instances, finish: probe.finish };
  });
  const [first] = samples;
  return {
    label: `capacity replay, ${tasks} tasks × 3 runs (prod and one machine)`,
    ...medians(samples),
    note: `${first.instances} task instances; parse, schema check, workload, both replays (finish ${(first.finish / 3600).toFixed(1)} h)`,
  };
}

// Builds the synth bundle if a source changed since the last run, so that no sample pays for it.
timed(process.execPath, ["scripts/app.js", "scripts/synth-probe.ts"], { BENCH_ENVIRONMENTS: "1" });
const rows: Row[] = [...SIZES.map(synthRow)];
const base = rows.find((r) => r.label.startsWith("synth 3 "));
const largest = rows[rows.length - 1];
rows.push(compiledRow(), tsxRow());
if (process.env.BENCH_SKIP_CLI !== "1") rows.push(cliRow());
if (process.env.BENCH_SKIP_PLAN !== "1") rows.push(planRow());
rows.push(replayRow(200), replayRow(2000));

process.stdout.write(`airflow-platform bench: median of ${RUNS} cold runs each\n`);
process.stdout.write(`  ${"what".padEnd(62)} ${"wall".padStart(9)} ${"peak RSS".padStart(9)}  note\n`);
for (const row of rows) {
  const peak = row.peakMiB === undefined ? "" : `${row.peakMiB.toFixed(0)} MiB`;
  process.stdout.write(`  ${row.label.padEnd(62)} ${`${row.wallMs.toFixed(0)} ms`.padStart(9)} ${peak.padStart(9)}  ${row.note}\n`);
}
if (base && largest && largest !== base) {
  process.stdout.write(`  growth: ${largest.label.split(" (")[0]} costs ${(largest.wallMs / base.wallMs).toFixed(1)}× the 3-environment synth\n`);
}
if (process.env.BENCH_JSON) writeFileSync(process.env.BENCH_JSON, JSON.stringify(rows, null, 2));

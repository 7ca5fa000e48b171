// npx tsx scripts/capacity-before-after.ts [env]: the example export (examples/nightly-export)
// replayed on one shipped environment (staging by default), for docs/capacity.md's before/after:
// the release as it was before issue #24 (task pods spread by kube-scheduler's LeastAllocated,
// autoscaler scale-down-delay-after-add 10m and scale-down-unneeded-time 15m), with the autoscaler
// settings of the first round (1m, 2m), the release now (task pods packed by their affinity, 1m,
// 1m, the environment's pools as shipped), and that with the pool maximums the packing advice
// gives. Staging's tasks pool had a maximum of 10 and parallelism 32 per scheduler (max_active_tasks_per_dag 64) before it was
// sized to the night; the rows before are replayed with those. Figures only; the capacity command
// computes every one of them.
import { runCapacityCommand } from "../tools/capacity/capacity-command";
import { loadEnvironments } from "../environments";

const name = process.argv[2] ?? "staging";
const environments = loadEnvironments(name);
/** The environment's pools as they shipped before they were sized to the night. */
const PREVIOUS_POOLS: Readonly<Record<string, readonly string[]>> = { staging: ["--max", "tasks=10", "--parallelism", "64", "--max-active-tasks", "64"] };
const previous = PREVIOUS_POOLS[name] ?? [];
const run = (...argv: string[]) => {
  const result = runCapacityCommand([name, ...argv], environments);
  if (result.exitCode !== 0) throw new Error(`capacity ${argv.join(" ")}: exit ${result.exitCode}\n${result.stderr}`);
  return result.stdout;
};
const grab = (text: string, pattern: RegExp, what: string) => {
  const match = pattern.exec(text);
  if (!match) throw new Error(`no ${what} in the report`);
  return match;
};

const now = run();
const packing = grab(now, /^ {2}packing .*?: ((?:--max \S+ ?)+) finish/m, "packing advice")[1].trim().split(/\s+(?=--max)/);
const variants: [string, string][] = [
  ["before: spread, autoscaler 10m/15m", run("--placement", "least-allocated", "--scale-down-delay-after-add-minutes", "10", "--scale-down-unneeded-minutes", "15", ...previous)],
  ["spread, autoscaler 1m/2m", run("--placement", "least-allocated", "--scale-down-unneeded-minutes", "2", ...previous)],
  ...(previous.length > 0 ? [["packed, 1m/1m, the pools as they were", run(...previous)] as [string, string]] : []),
  ["after: the release (packed, 1m/1m)", now],
  [`after, packed: ${packing.join(" ")}`, run(...packing.flatMap((flag) => flag.split(" ")))],
];

const rows: string[][] = [["", "finishes (8 h deadline)", "peak nodes", "floor / billed node-h", "billed ÷ floor", "platform per night", "ratio to the baseline"]];
for (const [label, text] of variants) {
  const finish = grab(text, /^ {2}finishes +(\S+ \(deadline \S+ \S+ to spare\)|\S+ \(deadline \S+ \S+ LATE\))/m, "finish")[1];
  const peak = grab(text, /^ {2}peak nodes +(.*?) {2,}/m, "peak nodes")[1];
  const all = grab(text, /^ {4}all +([\d.]+) +([\d.]+) +\d+ % \(billed (\S+) the floor\)/m, "all pools");
  const cost = grab(text, /^ {2}platform: task pools .*? {2,}(\$[\d.]+) +\$[\d.]+$/m, "platform cost")[1];
  const ratio = grab(text, /^ {2}ratio platform ÷ baseline +(\S+)/m, "ratio")[1];
  rows.push([label, finish, peak, `${all[1]} / ${all[2]}`, all[3], cost, ratio]);
}
const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
process.stdout.write(`The example export on ${name}:\n${rows.map((r) => `  ${r.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd()}\n`).join("")}`);

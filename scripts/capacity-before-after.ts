// npx tsx scripts/capacity-before-after.ts [env]: the example export (examples/nightly-export)
// replayed three ways on one shipped environment (staging by default), for docs/capacity.md's
// before/after: the autoscaler settings the release had before (scale-down-delay-after-add 10m,
// scale-down-unneeded-time 15m), the release's settings now, and those with the pool maximums the
// packing advice gives. Figures only; the capacity command computes every one of them.
import { runCapacityCommand } from "../tools/capacity/capacity-command";
import { loadEnvironments } from "../environments";

const name = process.argv[2] ?? "staging";
const environments = loadEnvironments(name);
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

const before = run("--scale-down-delay-after-add-minutes", "10", "--scale-down-unneeded-minutes", "15");
const now = run();
const packing = grab(now, /^ {2}packing .*?: ((?:--max \S+ ?)+) finish/m, "packing advice")[1].trim().split(/\s+(?=--max)/);
const packed = run(...packing.flatMap((flag) => flag.split(" ")));

const rows: string[][] = [["", "finishes (8 h deadline)", "tasks: floor / billed node-h", "memory: floor / billed node-h", "all pools billed ÷ floor", "platform per night", "ratio to the baseline"]];
for (const [label, text] of [["before: release 10m/15m", before], ["after: release 1m/2m", now], [`after, packed: ${packing.join(" ")}`, packed]] as const) {
  const finish = grab(text, /^ {2}finishes +(\S+ \(deadline \S+ \S+ to spare\)|\S+ \(deadline \S+ \S+ LATE\))/m, "finish")[1];
  const pool = (p: string) => grab(text, new RegExp(`^ {4}${p} +\\S+ +\\S+ +[\\d.]+ +[\\d.]+ +([\\d.]+) +([\\d.]+) +`, "m"), `${p} pool`);
  const [tasks, memory] = [pool("tasks"), pool("memory")];
  const floor = Number(tasks[1]) + Number(memory[1]);
  const billed = Number(tasks[2]) + Number(memory[2]);
  const cost = grab(text, /^ {2}platform: task pools .*? {2,}(\$[\d.]+) +\$[\d.]+$/m, "platform cost")[1];
  const ratio = grab(text, /^ {2}ratio platform ÷ baseline +(\S+)/m, "ratio")[1];
  rows.push([label, finish, `${tasks[1]} / ${tasks[2]}`, `${memory[1]} / ${memory[2]}`, `${(billed / floor).toFixed(2)}×`, cost, ratio]);
}
const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
process.stdout.write(`The example export on ${name}:\n${rows.map((r) => `  ${r.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd()}\n`).join("")}`);

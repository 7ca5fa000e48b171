// npm run capacity -- <env> [--tasks 200] [--layers 10] [--median-minutes 20] [--spread 0.6] [--baseline m6i.2xlarge]
// Prints the environment's capacity table and a model of the nightly run.
import { parseArgs } from "node:util";
import { capacityReport, DEFAULT_WORKLOAD } from "../environments/capacity-report";
import { ConfigError } from "../constructs/config-error";
import { loadEnvironments } from "../environments";

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    tasks: { type: "string" },
    layers: { type: "string" },
    "median-minutes": { type: "string" },
    spread: { type: "string" },
    baseline: { type: "string" },
  },
});

try {
  for (const config of loadEnvironments(positionals.join(",") || undefined)) {
    const report = capacityReport(config, {
      tasks: Number(values.tasks ?? DEFAULT_WORKLOAD.tasks),
      layers: Number(values.layers ?? DEFAULT_WORKLOAD.layers),
      medianTaskMinutes: Number(values["median-minutes"] ?? DEFAULT_WORKLOAD.medianTaskMinutes),
      spread: Number(values.spread ?? DEFAULT_WORKLOAD.spread),
      baselineInstance: values.baseline ?? DEFAULT_WORKLOAD.baselineInstance,
    });
    const width = Math.max(...report.rows.map(([label]) => label.length));
    process.stdout.write(`Capacity of ${config.name}\n`);
    for (const [label, value] of report.rows) process.stdout.write(`  ${label.padEnd(width)}  ${value}\n`);
    process.stdout.write("\n");
  }
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}

import { parseArgs } from "node:util";
import { capacityReport, DEFAULT_WORKLOAD } from "../environments/capacity-report";
import { validateEnvironments } from "../environments/validate";
import type { CommandIo, EnvironmentModule } from "./io";
import { selectFrom } from "./load-environments";

/**
 * `capacity <env>[,<env>] [--tasks 200] [--layers 10] [--median-minutes 20] [--spread 0.6]
 * [--baseline m6i.2xlarge]`: the capacity table and a model of the nightly run. The whole
 * command is this one function of (argv, environments, io) → exit code, so a richer capacity
 * command (replaying Airflow's own task history) replaces its body and nothing else.
 */
export function capacityCommand(argv: readonly string[], environments: EnvironmentModule, io: CommandIo): number {
  const { positionals, values } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      tasks: { type: "string" },
      layers: { type: "string" },
      "median-minutes": { type: "string" },
      spread: { type: "string" },
      baseline: { type: "string" },
    },
  });
  for (const config of validateEnvironments(selectFrom(environments, positionals.join(","), "environment selection"))) {
    const report = capacityReport(config, {
      tasks: Number(values.tasks ?? DEFAULT_WORKLOAD.tasks),
      layers: Number(values.layers ?? DEFAULT_WORKLOAD.layers),
      medianTaskMinutes: Number(values["median-minutes"] ?? DEFAULT_WORKLOAD.medianTaskMinutes),
      spread: Number(values.spread ?? DEFAULT_WORKLOAD.spread),
      baselineInstance: values.baseline ?? DEFAULT_WORKLOAD.baselineInstance,
    });
    const width = Math.max(...report.rows.map(([label]) => label.length));
    io.stdout(`Capacity of ${config.name}\n`);
    for (const [label, value] of report.rows) io.stdout(`  ${label.padEnd(width)}  ${value}\n`);
    io.stdout("\n");
  }
  return 0;
}

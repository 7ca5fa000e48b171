import { REPEATED_FLAGS, VALUE_FLAGS } from "./capacity-arguments";

/** `capacity`'s usage line, from the flags its parser accepts, so --help never shows one it refuses. */
export function capacityUsage(): string {
  const values = VALUE_FLAGS.filter((f) => f !== "--dag").map((f) => `[${f} <value>]`);
  const repeated = REPEATED_FLAGS.map((f) => `[${f} <name>=<value>]...`);
  return ["capacity <env> [--dag <tasks.json> --runs <task-instances.json>...]", ...values, ...repeated].join(" ");
}

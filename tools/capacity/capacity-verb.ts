import { parseCapacityArguments } from "./capacity-arguments";
import { runCapacityCommand } from "./capacity-command";
import { validateEnvironments } from "../../configuration/validation/validate";
import type { CommandIo, EnvironmentModule } from "../common/command-io";
import { selectFrom } from "../common/environment-module";

/**
 * `capacity <env> [--dag tasks.json --runs taskInstances.json...] [flags]`: the environment's
 * capacity tables and its nightly run replayed from Airflow REST API exports and priced (see
 * tools/capacity/capacity-command.ts for the flags). Only the named environment is validated (all
 * of them when none is named), so another environment's problem does not stop this one.
 */
export function capacityCommand(argv: readonly string[], environments: EnvironmentModule, io: CommandIo): number {
  const args = parseCapacityArguments(argv);
  const selection = "error" in args ? undefined : args.environment;
  const result = runCapacityCommand(argv, validateEnvironments(selectFrom(environments, selection, "environment selection")));
  io.stdout(result.stdout);
  io.stderr(result.stderr);
  return result.exitCode;
}

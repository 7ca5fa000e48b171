// npm run capacity -- <env> [--dag tasks.json --runs taskInstances.json...] [--map map.json] [flags]
// Prints the environment's capacity and its nightly run replayed and priced; see
// environments/capacity-command.ts (the package's CLI runs the same function).
import { ConfigError } from "../constructs/config-error";
import { loadEnvironments } from "../environments";
import { runCapacityCommand } from "../environments/capacity-command";

try {
  const result = runCapacityCommand(process.argv.slice(2), loadEnvironments(undefined));
  process.stdout.write(result.stdout);
  process.stderr.write(result.stderr);
  process.exitCode = result.exitCode;
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exitCode = 1;
}

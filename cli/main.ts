import { airflowImageCommand } from "../tools/image/airflow-image-verb";
import { capacityCommand } from "../tools/capacity/capacity-verb";
import { capacityUsage } from "../tools/capacity/capacity-usage";
import { processIo, withConfigErrors, type Command, type CommandIo, type EnvironmentModule } from "../tools/common/command-io";
import { DEFAULT_ENVIRONMENT_MODULES, loadEnvironmentModule } from "../tools/common/environment-module";
import { PLAN_USAGE, planCommand } from "../tools/plan/plan-verb";
import { policyCommand } from "../tools/policy/policy-verb";
import { promoteCheckCommand } from "../tools/promotion/promote-check-verb";
import { synthCommand } from "../tools/synth/synth-verb";
import { WORKFLOW_USAGE, workflowCommand } from "../tools/workflow/workflow-verb";

// The `airflow-platform` command shipped in the package's bin, and what this repository's npm
// scripts run (with the shipped environments). Every command works on the caller's own
// environments module.

export const COMMANDS: Readonly<Record<string, { readonly run: Command; readonly usage: string; readonly summary: string }>> = {
  synth: { run: synthCommand, usage: "synth [<env>[,<env>]] [--out <dir>]", summary: "validate, then synthesize each environment's three stacks; one line per stack" },
  plan: { run: planCommand, usage: PLAN_USAGE, summary: "Terraform's plan of one stack, printed: offline (the AWS provider from the local mirror, no credentials) or --real" },
  policy: { run: policyCommand, usage: "policy [<env>[,<env>]] [--from <cdktf.out>]", summary: "the security and data-safety rules on an offline Terraform plan; exit 1 on a failure in staging or prod" },
  capacity: { run: capacityCommand, usage: capacityUsage(), summary: "each pool's room and where each task size fits, then the team's nightly run replayed on the pools and priced" },
  "promote-check": { run: promoteCheckCommand, usage: "promote-check <source> <target>", summary: "what would change from one environment to the next; exit 1 on a change that skipped the source" },
  workflow: { run: workflowCommand, usage: WORKFLOW_USAGE, summary: "the GitHub Actions pipeline, deploying the environments in the order the module lists them" },
  "airflow-image": { run: airflowImageCommand, usage: "airflow-image <dockerfile|tag|repository|reference|source> <env>", summary: "the environment's Airflow image: the Dockerfile the pipeline builds, its tag, its repository" },
};

export function helpText(): string {
  return [
    "usage: airflow-platform <command> [--environments <module>] [arguments]",
    "",
    ...Object.values(COMMANDS).map((c) => `  ${c.usage}\n      ${c.summary}`),
    "",
    "--environments <module>  a module exporting `environments`, name → environment (what mergeEnvironment",
    `                         returns); TypeScript needs tsx in the project. Default: the first of ${DEFAULT_ENVIRONMENT_MODULES.join(", ")}.`,
    "Environment variables: CDKTF_OUTDIR (synth output, default cdktf.out); AIRFLOW_PLATFORM_PROVIDER_MIRROR",
    "(policy: where hashicorp/aws 5.100.0 is mirrored, default /opt/tf-plugins). Terraform >= 1.10 for policy.",
    "",
  ].join("\n");
}

/**
 * Runs one command. `environments` given (this repository's scripts pass the shipped ones) wins
 * over --environments; a configuration error is printed once and exits 1; usage errors exit 2.
 */
export async function runCli(argv: readonly string[], options: { readonly environments?: EnvironmentModule; readonly io?: CommandIo } = {}): Promise<number> {
  const io = options.io ?? processIo;
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    io.stdout(helpText());
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.stderr(`airflow-platform: unknown command "${name}"\n${helpText()}`);
    return 2;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    io.stdout(`usage: airflow-platform ${command.usage} [--environments <module>]\n  ${command.summary}\n`);
    return 0;
  }
  const at = rest.indexOf("--environments");
  const modulePath = at >= 0 ? rest[at + 1] : undefined;
  const args = at >= 0 ? [...rest.slice(0, at), ...rest.slice(at + 2)] : rest;
  return withConfigErrors(io, () => command.run(args, options.environments ?? loadEnvironmentModule(modulePath), io));
}

/** The bin's entry: the process's arguments, streams and exit code. */
export function main(): void {
  runCli(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}

import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { validateEnvironments } from "../../configuration/validation/validate";
import { platformWorkflow, WORKFLOW_PATH } from "./platform-workflow";
import type { CommandIo, EnvironmentModule } from "../common/command-io";
import { selectFrom } from "../common/environment-module";

export const WORKFLOW_USAGE = "workflow [--write <file> | --check <file>]";

/**
 * `workflow`: the GitHub Actions pipeline for the environments module, deploying them in the order
 * the module lists them (its promotion order). Prints it; `--write` writes it; `--check` exits 1
 * when the file differs from what would be generated.
 */
export function workflowCommand(argv: readonly string[], environments: EnvironmentModule, io: CommandIo): number {
  const [flag, file, ...extra] = argv;
  if (extra.length > 0 || (flag !== undefined && (file === undefined || (flag !== "--write" && flag !== "--check")))) {
    io.stderr(`usage: ${WORKFLOW_USAGE}   e.g. --check ${WORKFLOW_PATH}\n`);
    return 2;
  }
  const text = platformWorkflow(validateEnvironments(selectFrom(environments, undefined)));
  if (flag === undefined) {
    io.stdout(text);
    return 0;
  }
  if (flag === "--write") {
    writeFileSync(file, text);
    io.stdout(`wrote ${file}\n`);
    return 0;
  }
  if (existsSync(file) && readFileSync(file, "utf8") === text) return 0;
  io.stderr(`${file} is not what \`airflow-platform workflow\` generates for these environments: run it with --write ${file} (npm run workflow)\n`);
  return 1;
}

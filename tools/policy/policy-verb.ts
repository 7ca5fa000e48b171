import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { validateEnvironments } from "../../configuration/validation/validate";
import { checkovEnvironments } from "./checkov/checkov-environments";
import { checkovTable } from "./checkov/checkov-summary";
import { evaluateEnvironment } from "./evaluate-environment";
import { planOffline } from "../plan/offline-plan";
import { policyTable } from "./report";
import { synthesizeEnvironments } from "../synth/synthesize";
import type { CommandIo, EnvironmentModule } from "../common/command-io";
import { selectFrom } from "../common/environment-module";

/**
 * The policy suite over each selected environment: the offline Terraform plan of its
 * infrastructure stack (real Terraform, the AWS provider from a local mirror) and its synthesized
 * platform, observability and account-bootstrap stacks; then checkov's counts per stack and per
 * rendered release (passed / failed / waived). `--from <cdktf.out>` reads stacks an app already wrote
 * (an app that adds constructs of its own), else they are synthesized into a temporary directory.
 * Exits 1 on any unwaived failure in staging or prod.
 */
export function policyCommand(argv: readonly string[], environments: EnvironmentModule, io: CommandIo): number {
  const { positionals, values } = parseArgs({ args: [...argv], allowPositionals: true, options: { from: { type: "string" } } });
  const inputs = selectFrom(environments, positionals.join(","), "environment selection");
  const configs = validateEnvironments(inputs);
  const outdir = values.from ?? mkdtempSync(join(tmpdir(), "airflow-platform-policy-"));
  try {
    if (values.from === undefined) synthesizeEnvironments(inputs, outdir);
    const stackDir = (stack: string) => join(outdir, "stacks", stack);
    let blocking = 0;
    const plans = new Map<string, unknown>();
    for (const config of configs) {
      const plan = planOffline(stackDir(`${config.name}-infrastructure`)).plan;
      plans.set(config.name, plan);
      const results = evaluateEnvironment(config, { stackDir, infrastructurePlan: plan });
      io.stdout(`${policyTable(config.name, results)}\n`);
      if (config.stage !== "dev") blocking += results.filter((r) => r.status === "fail").length;
    }
    // checkov once over every environment's plan, stacks and rendered releases.
    const checkov = checkovEnvironments(configs, stackDir, plans);
    for (const config of configs) {
      const counts = checkov.get(config.name) ?? [];
      io.stdout(`${checkovTable(config.name, counts)}\n`);
      if (config.stage !== "dev") blocking += counts.reduce((n, c) => n + c.failed, 0);
    }
    if (blocking > 0) {
      io.stderr(`${blocking} policy failure(s) in staging or prod.\n`);
      return 1;
    }
    return 0;
  } finally {
    if (values.from === undefined) rmSync(outdir, { recursive: true, force: true });
  }
}

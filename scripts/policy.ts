// npm run policy [-- <env>[,<env>]]: the policy suite over each environment — the offline
// Terraform plan of its infrastructure stack and the synthesized platform and observability
// stacks. Prints a table per environment; exits 1 on any failure in staging or prod.
import { ConfigError } from "../constructs/config-error";
import { loadEnvironments } from "../environments";
import { evaluateEnvironment } from "../policies/evaluate-environment";
import { policyTable } from "../policies/report";
import { synthesize } from "../test/support/synth";
import { planOffline } from "../test/support/terraform";

try {
  const environments = loadEnvironments(process.argv.slice(2).join(",") || undefined);
  const synthesized = synthesize(environments);
  let blocking = 0;
  for (const config of environments) {
    const plan = planOffline(synthesized.stackDir(`${config.name}-infrastructure`)).plan;
    const results = evaluateEnvironment(config, { stackDir: synthesized.stackDir, infrastructurePlan: plan });
    process.stdout.write(`${policyTable(config.name, results)}\n`);
    if (config.stage !== "dev") blocking += results.filter((r) => r.status === "fail").length;
  }
  if (blocking > 0) {
    process.stderr.write(`${blocking} policy failure(s) in staging or prod.\n`);
    process.exit(1);
  }
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}

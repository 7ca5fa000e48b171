// npm run refresh-credentials -- <env> [--dry-run]
// After RDS rotated the master password: applies, from the synthesized platform stack in
// cdktf.out (npm run synth, or CI's artifact), only PgBouncer's auth file and its rollout. See
// stacks/credential-refresh.ts. --dry-run prints the terraform commands instead of running them.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { platformStackName } from "../environments/derived/construct-paths";
import { credentialRefreshTargets } from "../stacks/credential-refresh";

const { positionals, values } = parseArgs({ allowPositionals: true, options: { "dry-run": { type: "boolean" } } });
const [environment] = positionals;
if (!environment || positionals.length !== 1) {
  process.stderr.write("usage: npm run refresh-credentials -- <env> [--dry-run]\n");
  process.exit(2);
}
const stackDir = resolve(process.env.CDKTF_OUTDIR ?? "cdktf.out", "stacks", platformStackName(environment));
const stackFile = join(stackDir, "cdk.tf.json");
if (!existsSync(stackFile)) {
  process.stderr.write(`${stackFile} not found: run \`npm run synth\` first (CI downloads it as the cdktf-out artifact).\n`);
  process.exit(1);
}
const targets = credentialRefreshTargets(environment, JSON.parse(readFileSync(stackFile, "utf8")));
const commands = [
  ["init", "-input=false"],
  ["apply", "-input=false", "-auto-approve", ...targets.map((target) => `-target=${target}`)],
];
for (const args of commands) {
  process.stdout.write(`terraform -chdir=${stackDir} ${args.join(" ")}\n`);
  if (!values["dry-run"]) execFileSync("terraform", [`-chdir=${stackDir}`, ...args], { stdio: "inherit" });
}

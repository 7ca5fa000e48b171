import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { ConfigError } from "../../lib/config-error";
import { assertOfflineTerraformAvailable, offlineCopy, terraform } from "./offline-plan";
import { synthesizeEnvironments } from "../synth/synthesize";
import type { CommandIo, EnvironmentModule } from "../common/command-io";
import { selectFrom } from "../common/environment-module";

export const PLAN_USAGE = "plan <env> [infrastructure|platform|observability] [--real] [--from <cdktf.out>]";

const LAYERS = ["infrastructure", "platform", "observability"] as const;

/** Terraform with the caller's own credentials, backend and CLI configuration (a real plan). */
function realTerraform(workdir: string, args: string[]): string {
  try {
    return execFileSync("terraform", args, { cwd: workdir, encoding: "utf8", maxBuffer: 256 * 1024 * 1024, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, TF_IN_AUTOMATION: "1", CHECKPOINT_DISABLE: "1" } });
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`terraform ${args.join(" ")} failed in ${workdir}:\n${failed.stderr ?? ""}${failed.stdout ?? failed.message}`);
  }
}

/**
 * `plan <env> [stack]`: synthesizes the environment (or reads `--from`) and prints Terraform's plan
 * of one stack (infrastructure by default). Offline by default: the AWS provider from the local
 * mirror, dummy credentials, a local empty state, so it shows everything the stack would create;
 * only the infrastructure stack plans offline (the others read the cluster and Datadog). `--real`
 * plans in a copy of the stack with your credentials and its configured backend.
 */
export function planCommand(argv: readonly string[], environments: EnvironmentModule, io: CommandIo): number {
  const { positionals, values } = parseArgs({ args: [...argv], allowPositionals: true, options: { real: { type: "boolean", default: false }, from: { type: "string" } } });
  const [name, layer = "infrastructure", ...extra] = positionals;
  if (name === undefined || extra.length > 0 || !(LAYERS as readonly string[]).includes(layer)) {
    io.stderr(`usage: ${PLAN_USAGE}\n`);
    return 2;
  }
  if (!values.real && layer !== "infrastructure") {
    throw new ConfigError([
      { environment: name, constructPath: `${name}-${layer}`, field: "plan", given: `${layer} offline`, allowed: "infrastructure offline (the local mirror holds hashicorp/aws only; the platform stack reads the cluster, observability Datadog), or --real with credentials" },
    ]);
  }
  const inputs = selectFrom(environments, name, "environment selection");
  const outdir = values.from ?? mkdtempSync(join(tmpdir(), "airflow-platform-plan-synth-"));
  const workdir = mkdtempSync(join(tmpdir(), "airflow-platform-plan-"));
  try {
    if (values.from === undefined) synthesizeEnvironments(inputs, outdir, (message) => io.stderr(`Warning: ${message}\n`));
    const stackDir = join(outdir, "stacks", `${name}-${layer}`);
    if (!existsSync(stackDir)) throw new ConfigError([{ environment: name, constructPath: `${name}-${layer}`, field: "--from", given: outdir, allowed: `a cdktf.out holding stacks/${name}-${layer}` }]);
    if (values.real) {
      cpSync(stackDir, workdir, { recursive: true });
      realTerraform(workdir, ["init", "-input=false", "-no-color"]);
      realTerraform(workdir, ["plan", "-input=false", "-no-color", "-out=real.plan"]);
      io.stdout(realTerraform(workdir, ["show", "-no-color", "real.plan"]));
      return 0;
    }
    assertOfflineTerraformAvailable();
    offlineCopy(stackDir, workdir);
    terraform(workdir, ["init", "-input=false", "-no-color"]);
    terraform(workdir, ["plan", "-input=false", "-no-color", "-lock=false", "-out=offline.plan"]);
    io.stdout(`Offline plan of ${name}-${layer} (hashicorp/aws from the local mirror, no credentials, empty state):\n`);
    io.stdout(terraform(workdir, ["show", "-no-color", "offline.plan"]));
    return 0;
  } finally {
    rmSync(workdir, { recursive: true, force: true });
    if (values.from === undefined) rmSync(outdir, { recursive: true, force: true });
  }
}

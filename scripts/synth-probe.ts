// One synthesis into a throwaway directory, reporting its own cost as JSON on stdout. Run as a
// child process by bench.ts so every run starts cold, as `cdktf synth` does.
//   BENCH_ENVIRONMENTS=N  synthesize N environments generated from the shipped ones (bench only)
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { App } from "../constructs/core";
import { SHIPPED_ENVIRONMENTS, validateEnvironments } from "../environments";
import { mergeEnvironment, type EnvironmentOverrides } from "../configuration/schema/merge";
import { AirflowPlatform } from "../stacks/airflow-platform";

// performance.now() counts from process start: this is Node's startup plus loading every module.
const loaded = performance.now();

/** N environments cycled from the shipped ones, each with its own name and VPC range. */
function generated(count: number): unknown[] {
  const shipped = Object.values(SHIPPED_ENVIRONMENTS) as EnvironmentOverrides[];
  return Array.from({ length: count }, (_, i) =>
    mergeEnvironment(shipped[i % shipped.length], { name: `bench-${i}`, example: `bench-${i}`, network: { vpcCidr: `10.${100 + (i % 150)}.0.0/16` } }),
  );
}

const count = Number(process.env.BENCH_ENVIRONMENTS ?? 3);
const configs = validateEnvironments(generated(count));
const validated = performance.now();
const outdir = mkdtempSync(join(tmpdir(), "airflow-platform-bench-"));
const app = new App({ outdir });
for (const config of configs) new AirflowPlatform(app, config);
const constructed = performance.now();
app.synth();
const synthesized = performance.now();
rmSync(outdir, { recursive: true, force: true });
process.stdout.write(
  JSON.stringify({
    startupMs: loaded,
    validateMs: validated - loaded,
    constructMs: constructed - validated,
    synthMs: synthesized - constructed,
    totalMs: synthesized,
    maxRssMiB: process.resourceUsage().maxRSS / 1024,
  }),
);

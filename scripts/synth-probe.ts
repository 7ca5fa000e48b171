// One synthesis of the selected environments into a throwaway directory, reporting its own cost
// as JSON on stdout. Run as a child process by bench.ts so every run starts cold, as `cdktf synth` does.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { App } from "../constructs/core";
import { loadEnvironments } from "../environments";
import { AirflowPlatform } from "../stacks/airflow-platform";

const started = performance.now();
const outdir = mkdtempSync(join(tmpdir(), "airflow-platform-bench-"));
const app = new App({ outdir });
for (const config of loadEnvironments(process.env.AIRFLOW_ENVIRONMENTS)) new AirflowPlatform(app, config);
app.synth();
const synthMs = performance.now() - started;
rmSync(outdir, { recursive: true, force: true });
process.stdout.write(JSON.stringify({ synthMs, maxRssMiB: process.resourceUsage().maxRSS / 1024 }));

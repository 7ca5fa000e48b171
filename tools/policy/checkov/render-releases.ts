import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import { dataFile, packageManifest } from "../../../lib/data-files";
import { datadogAgentValues } from "../../../constructs/datadog/datadog-agent-release";
import type { EnvironmentConfig } from "../../../configuration/schema/environment-config";
import { airflowValuesFor } from "../../../configuration/derived/airflow-values";
import { datadogAgentPropsFor } from "../../../configuration/derived/datadog-agent";

// The releases whose charts ship in data/, rendered by the project's Helm 3.17.2 with the
// environment's values, as YAML for checkov: what the cluster would be sent. (The Load Balancer
// Controller's and Cluster Autoscaler's charts are not in data/, so they are not rendered here.)

/** The Helm `npm run install-helm` installs, or AIRFLOW_PLATFORM_HELM; missing, it says how to get it. */
export function helmProgram(): string {
  const configured = process.env.AIRFLOW_PLATFORM_HELM;
  if (configured) return configured;
  const path = join(packageManifest(), "..", "node_modules", ".cache", "airflow-platform", "helm-3.17.2", "helm");
  if (!existsSync(path)) throw new Error(`Helm 3.17.2 is not installed at ${path}: run \`npm run install-helm\`, or set AIRFLOW_PLATFORM_HELM`);
  return path;
}

interface ChartSource {
  readonly release: string;
  readonly namespace: (config: EnvironmentConfig) => string;
  readonly dir: string;
  readonly extraFiles: readonly string[];
  readonly values: (config: EnvironmentConfig) => Record<string, unknown>;
}

const CHARTS: readonly ChartSource[] = [
  {
    release: "airflow",
    namespace: (config) => config.airflow.namespace,
    dir: dataFile("airflow-chart", "chart"),
    extraFiles: [dataFile("airflow-chart", "values.yaml"), dataFile("airflow-chart", "values.schema.json")],
    values: airflowValuesFor,
  },
  { release: "datadog", namespace: () => "datadog", dir: dataFile("datadog-chart"), extraFiles: [], values: (config) => datadogAgentValues(datadogAgentPropsFor(config)) },
];

/** `helm template` of a chart copy without its (disabled) sub-chart declarations. */
function render(chart: ChartSource, config: EnvironmentConfig, workdir: string): string {
  const dir = join(workdir, `chart-${chart.release}`);
  cpSync(chart.dir, dir, { recursive: true });
  for (const file of chart.extraFiles) cpSync(file, join(dir, file.split("/").pop() ?? file));
  const chartYaml = join(dir, "Chart.yaml");
  const meta = parse(readFileSync(chartYaml, "utf8")) as Record<string, unknown>;
  delete meta.dependencies;
  writeFileSync(chartYaml, stringify(meta));
  rmSync(join(dir, "requirements.yaml"), { force: true });
  const values = join(workdir, `${chart.release}-values.yaml`);
  writeFileSync(values, stringify(chart.values(config), { lineWidth: 0 }));
  return execFileSync(helmProgram(), ["template", chart.release, dir, "--namespace", chart.namespace(config), "--values", values], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
}

/** Each release's rendered manifests, by release name. */
export function renderReleases(config: EnvironmentConfig): { readonly release: string; readonly yaml: string }[] {
  const workdir = mkdtempSync(join(tmpdir(), "airflow-platform-render-"));
  try {
    return CHARTS.map((chart) => ({ release: chart.release, yaml: render(chart, config, workdir) }));
  } finally {
    rmSync(workdir, { recursive: true, force: true });
  }
}

import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import { dataFile, packageManifest } from "../../../lib/data-files";
import { datadogAgentValues } from "../../../constructs/datadog/datadog-agent-release";
import type { EnvironmentConfig } from "../../../configuration/schema/environment-config";
import { airflowValuesFor } from "../../../configuration/derived/airflow-values";
import { datadogAgentPropsFor } from "../../../configuration/derived/datadog-agent";
import { platformStackName } from "../../../configuration/derived/construct-paths";
import { readStackJson, stackReleaseValues } from "./stack-release-values";

// The releases whose charts ship in data/, rendered by the project's Helm 3.17.2 with the
// environment's values, as YAML for checkov: what the cluster would be sent. The Cluster
// Autoscaler's and the Load Balancer Controller's values are read from the helm_release in the
// synthesized platform stack (stack-release-values.ts); their charts' versions must be data/'s.

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
  readonly values: (config: EnvironmentConfig, stackDir: (stackName: string) => string) => Record<string, unknown>;
  /** Installed by Helm from the chart's crds/ folder on install. */
  readonly crds?: boolean;
}

/** A chart copied into data/ whose values the platform stack's helm_release holds. */
function fromStack(release: string, dir: string, crds: boolean): ChartSource {
  const { name, version } = parse(readFileSync(join(dir, "Chart.yaml"), "utf8")) as { name: string; version: string };
  return {
    release,
    namespace: () => "kube-system",
    dir,
    extraFiles: [],
    crds,
    values: (config, stackDir) => {
      const stack = platformStackName(config.name);
      return stackReleaseValues(readStackJson(stackDir(stack)), stack, name, version);
    },
  };
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
  fromStack("cluster-autoscaler", dataFile("cluster-autoscaler-chart"), false),
  fromStack("aws-load-balancer-controller", dataFile("aws-load-balancer-controller"), true),
];

/**
 * `helm template` of a chart copy. Declared sub-charts not copied into its `charts/` folder are
 * dropped (the platform's values switch them off); those copied keep their declarations, so
 * their conditions decide as Helm decides: a sub-chart in `charts/` with its declaration removed
 * would render whatever its condition says (the Datadog operator the platform turns off).
 */
function render(chart: ChartSource, config: EnvironmentConfig, stackDir: (stackName: string) => string, workdir: string): string {
  const dir = join(workdir, `chart-${chart.release}`);
  cpSync(chart.dir, dir, { recursive: true });
  for (const file of chart.extraFiles) cpSync(file, join(dir, file.split("/").pop() ?? file));
  const present = existsSync(join(dir, "charts")) ? readdirSync(join(dir, "charts")) : [];
  for (const file of ["Chart.yaml", "requirements.yaml"].map((name) => join(dir, name)).filter((path) => existsSync(path))) {
    const meta = (parse(readFileSync(file, "utf8")) ?? {}) as { dependencies?: { name: string }[] };
    if (meta.dependencies === undefined) continue;
    meta.dependencies = meta.dependencies.filter((dependency) => present.includes(dependency.name));
    writeFileSync(file, stringify(meta));
  }
  const values = join(workdir, `${chart.release}-values.yaml`);
  writeFileSync(values, stringify(chart.values(config, stackDir), { lineWidth: 0 }));
  const crds = chart.crds ? ["--include-crds"] : [];
  return execFileSync(helmProgram(), ["template", chart.release, dir, "--namespace", chart.namespace(config), ...crds, "--values", values], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024, stdio: ["ignore", "pipe", "pipe"] });
}

/** Each release's rendered manifests, by release name; `stackDir` finds the environment's synthesized stacks. */
export function renderReleases(config: EnvironmentConfig, stackDir: (stackName: string) => string): { readonly release: string; readonly yaml: string }[] {
  const workdir = mkdtempSync(join(tmpdir(), "airflow-platform-render-"));
  try {
    return CHARTS.map((chart) => ({ release: chart.release, yaml: render(chart, config, stackDir, workdir) }));
  } finally {
    rmSync(workdir, { recursive: true, force: true });
  }
}

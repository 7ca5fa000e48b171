import { execFileSync } from "node:child_process";
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse, parseAllDocuments, stringify } from "yaml";
import { tempDir } from "./temp";

// Real Helm, rendering the pinned charts copied into data/ with the project's values: what the
// cluster would be sent, short of a cluster. Sub-charts are not in data/ (none is used: the
// Airflow chart's postgresql and the Datadog chart's kube-state-metrics and CRDs are off), so the
// copy drops their declarations, which `helm template` would otherwise insist on.

const HELM = join(__dirname, "..", "..", "node_modules", ".cache", "airflow-platform", "helm-3.17.2", "helm");

/** The Helm binary, or a failure that says how to install it. */
export function helmBinary(): string {
  if (!existsSync(HELM)) throw new Error(`Helm 3.17.2 is not installed at ${HELM}: run \`npm run install-helm\` (node scripts/install-helm.js)`);
  return HELM;
}

/** A renderable copy of a chart folder under data/, without sub-chart declarations. */
export function chartCopy(chartDir: string, valuesFiles: readonly string[]): string {
  const dir = tempDir("chart");
  cpSync(chartDir, dir, { recursive: true });
  for (const file of valuesFiles) cpSync(file, join(dir, file.split("/").pop() ?? file));
  const chartYaml = join(dir, "Chart.yaml");
  const chart = parse(readFileSync(chartYaml, "utf8")) as Record<string, unknown>;
  delete chart.dependencies;
  writeFileSync(chartYaml, stringify(chart));
  rmSync(join(dir, "requirements.yaml"), { force: true });
  rmSync(join(dir, "SOURCE.md"), { force: true });
  return dir;
}

export interface Manifest {
  readonly kind: string;
  readonly metadata: { readonly name: string };
  readonly [key: string]: unknown;
}

/** `helm template` of a chart copy with values; every object it renders. */
export function helmTemplate(chart: string, release: string, namespace: string, values: Record<string, unknown>): Manifest[] {
  const valuesFile = join(tempDir("values"), "values.yaml");
  writeFileSync(valuesFile, stringify(values, { lineWidth: 0 }));
  const out = execFileSync(helmBinary(), ["template", release, chart, "--namespace", namespace, "--values", valuesFile], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  return parseAllDocuments(out)
    .map((doc) => doc.toJS() as Manifest | null)
    .filter((m): m is Manifest => m !== null);
}

import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parse, parseAllDocuments, stringify } from "yaml";
import { tempDir } from "./temp";

// Real Helm, rendering the pinned charts copied into data/ with the project's values: what the
// cluster would be sent, short of a cluster. Sub-charts copied into a chart's `charts/` folder are
// rendered as Helm renders them (the Datadog chart's operator and CRDs). A declared sub-chart that
// is not in data/ (the Airflow chart's postgresql, the Datadog chart's kube-state-metrics and CSI
// driver) is dropped from the copy only while its condition is off in the values given: a render
// with it switched on fails, naming it, instead of silently showing less than a release installs.

const HELM = join(__dirname, "..", "..", "node_modules", ".cache", "airflow-platform", "helm-3.17.2", "helm");

/** The Helm binary, or a failure that says how to install it. */
export function helmBinary(): string {
  if (!existsSync(HELM)) throw new Error(`Helm 3.17.2 is not installed at ${HELM}: run \`npm run install-helm\` (node scripts/install-helm.js)`);
  return HELM;
}

interface Dependency {
  readonly name: string;
  readonly alias?: string;
  readonly condition?: string;
  readonly tags?: readonly string[];
}

interface AbsentSubCharts {
  readonly defaults: Record<string, unknown>;
  readonly absent: readonly Dependency[];
}

const absentByCopy = new Map<string, AbsentSubCharts>();

const readYaml = (file: string): Record<string, unknown> => (existsSync(file) ? ((parse(readFileSync(file, "utf8")) ?? {}) as Record<string, unknown>) : {});

/** A renderable copy of a chart folder under data/: its sub-charts in `charts/`, the absent ones' declarations dropped. */
export function chartCopy(chartDir: string, valuesFiles: readonly string[]): string {
  const dir = tempDir("chart");
  cpSync(chartDir, dir, { recursive: true });
  for (const file of valuesFiles) cpSync(file, join(dir, file.split("/").pop() ?? file));
  const present = existsSync(join(dir, "charts")) ? readdirSync(join(dir, "charts")) : [];
  const absent: Dependency[] = [];
  // apiVersion v2 declares sub-charts in Chart.yaml, v1 in requirements.yaml.
  for (const file of ["Chart.yaml", "requirements.yaml"]) {
    const path = join(dir, file);
    if (!existsSync(path)) continue;
    const doc = readYaml(path);
    const declared = (doc.dependencies ?? []) as Dependency[];
    absent.push(...declared.filter((d) => !present.includes(d.name)));
    doc.dependencies = declared.filter((d) => present.includes(d.name));
    writeFileSync(path, stringify(doc));
  }
  rmSync(join(dir, "SOURCE.md"), { force: true });
  absentByCopy.set(dir, { defaults: readYaml(join(dir, "values.yaml")), absent });
  return dir;
}

function valueAt(values: Record<string, unknown>, path: string): unknown {
  let at: unknown = values;
  for (const name of path.split(".")) at = at !== null && typeof at === "object" ? (at as Record<string, unknown>)[name] : undefined;
  return at;
}

/** Helm's rule: the first condition path holding a boolean decides; else a tag set false disables; else enabled. */
function subChartEnabled(dependency: Dependency, values: Record<string, unknown>, defaults: Record<string, unknown>): boolean {
  for (const path of (dependency.condition ?? "").split(",").filter(Boolean)) {
    const value = valueAt(values, path.trim()) ?? valueAt(defaults, path.trim());
    if (typeof value === "boolean") return value;
  }
  return !(dependency.tags ?? []).some((tag) => (valueAt(values, `tags.${tag}`) ?? valueAt(defaults, `tags.${tag}`)) === false);
}

export interface Manifest {
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string };
  readonly [key: string]: unknown;
}

// Each test file renders every environment's releases; the files run in separate processes, so
// Helm's output is kept under test/.work/helm by the hash of all it was made from (the chart
// copy's every file, the values, release and namespace): the first file renders, the others read.
// The Load Balancer Controller's webhook certificate is generated on each render; a reused one is
// as good as a fresh one to every check.
const RENDER_CACHE = resolve(__dirname, "..", ".work", "helm");

function renderKey(chart: string, args: readonly string[], values: string): string {
  const hash = createHash("sha256").update(`helm 3.17.2 ${args.join(" ")}\n${values}`);
  for (const file of readdirSync(chart, { recursive: true, encoding: "utf8" }).sort()) {
    const path = join(chart, file);
    if (statSync(path).isFile()) hash.update(`\n${file}\n`).update(readFileSync(path));
  }
  return hash.digest("hex").slice(0, 32);
}

/** `helm template`'s output, or the output of an earlier render of exactly the same inputs. */
function cachedRender(chart: string, args: readonly string[], valuesYaml: string): string {
  const helm = helmBinary();
  const cache = join(RENDER_CACHE, `${renderKey(chart, args, valuesYaml)}.yaml`);
  if (existsSync(cache)) return readFileSync(cache, "utf8");
  const valuesFile = join(tempDir("values"), "values.yaml");
  writeFileSync(valuesFile, valuesYaml);
  const out = execFileSync(helm, ["template", ...args, chart, "--values", valuesFile], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024, stdio: ["ignore", "pipe", "pipe"] });
  mkdirSync(RENDER_CACHE, { recursive: true });
  // Written whole under a temporary name, then renamed: a parallel test file never reads half.
  const partial = `${cache}.${process.pid}`;
  writeFileSync(partial, out);
  renameSync(partial, cache);
  return out;
}

/** `helm template` of a chart copy with values; every object it renders, sub-charts' included. */
export function helmTemplate(chart: string, release: string, namespace: string, values: Record<string, unknown>): Manifest[] {
  const copy = absentByCopy.get(chart);
  const missing = (copy?.absent ?? []).filter((d) => subChartEnabled(d, values, copy?.defaults ?? {}));
  if (missing.length > 0) {
    throw new Error(`${chart}: the values enable sub-chart(s) ${missing.map((d) => `${d.name} (${d.condition ?? "no condition"})`).join(", ")}, which are not copied into data/; copy them into the chart's charts/ folder to render what the release installs`);
  }
  const out = cachedRender(chart, [release, "--namespace", namespace, "--include-crds"], stringify(values, { lineWidth: 0 }));
  // Helm's client flattens a rendered `kind: List` into its items before it applies them.
  return parseAllDocuments(out)
    .map((doc) => doc.toJS() as Manifest | null)
    .filter((m): m is Manifest => m !== null)
    .flatMap((m) => (m.kind === "List" ? ((m.items ?? []) as Manifest[]) : [m]));
}

import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { parse } from "yaml";
import { deepMerge } from "../../../lib/deep-merge";
import { TemplateReads } from "./template-reads";
import { SEP } from "./template-values";
import { parseTemplate, type Node, type ParsedTemplate } from "./template-syntax";

// The dead-value check: which of the values a project sets a pinned chart's templates read.
//
// Matching rule. A leaf the project sets (a scalar, a list or an empty map; map keys with dots are
// one segment) is read when, under the project's values merged over the chart's defaults:
//   - a template reads its exact path (`.Values.a.b`, `$.Values.a.b`, `get .Values.a "b"`, a field
//     of a `with .Values.a` block, of a variable holding it, or of a helper's argument), or
//   - a template reads a parent of it whole: `toYaml .Values.a`, `range .Values.a`,
//     `tpl (toYaml …)`, printed, quoted, merged into something printed, or
//   - a template reads below it (the project set a map the template looks into), or
//   - it is a sub-chart's `condition` in Chart.yaml or requirements.yaml.
// Only the branches Helm would render are followed where the values decide a condition (`if`,
// `with`, `and`/`or`/`not`, `eq`, `hasKey`, `semverCompare`, `contains`, `empty`, `default`,
// `ternary`); a template file is rendered whole, a helper only where it is included, and a file
// read with `.Files.Get` only where that call is reached. A value read only under settings the
// project does not use (`createUserJob.*` with the job off) is therefore dead.

export interface ChartFiles {
  readonly templates: ReadonlyMap<string, ParsedTemplate>;
  readonly files: ReadonlyMap<string, ParsedTemplate>;
  readonly defines: ReadonlyMap<string, readonly Node[]>;
  readonly defaults: Record<string, unknown>;
  /** Values paths that switch sub-charts on (Chart.yaml / requirements.yaml `condition`). */
  readonly conditions: readonly (readonly string[])[];
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? walk(join(dir, name)) : [join(dir, name)]));
}

function dependencyConditions(file: string): string[][] {
  if (!existsSync(file)) return [];
  const doc = parse(readFileSync(file, "utf8")) as { dependencies?: { condition?: string }[] } | null;
  return (doc?.dependencies ?? []).flatMap((d) => (d.condition ?? "").split(",").filter(Boolean).map((c) => c.trim().split(".")));
}

/** Reads a chart folder: `templates/`, `files/`, the defaults and the sub-chart conditions. */
export function loadChart(chartDir: string, valuesFile: string): ChartFiles {
  const parseAll = (dir: string) =>
    new Map(existsSync(dir) ? walk(dir).map((file) => [relative(chartDir, file), parseTemplate(readFileSync(file, "utf8"), relative(chartDir, file))] as const) : []);
  const templates = parseAll(join(chartDir, "templates"));
  const files = parseAll(join(chartDir, "files"));
  const defines = new Map<string, readonly Node[]>();
  for (const template of templates.values()) for (const [name, body] of template.defines) defines.set(name, body);
  return {
    templates,
    files,
    defines,
    defaults: parse(readFileSync(valuesFile, "utf8")) as Record<string, unknown>,
    conditions: [...dependencyConditions(join(chartDir, "Chart.yaml")), ...dependencyConditions(join(chartDir, "requirements.yaml"))],
  };
}

/** A chart from template sources in memory, for tests of the walk itself. */
export function chartFromSources(sources: Readonly<Record<string, string>>, defaults: Record<string, unknown> = {}): ChartFiles {
  const templates = new Map(Object.entries(sources).map(([path, text]) => [path, parseTemplate(text, path)] as const));
  const defines = new Map<string, readonly Node[]>();
  for (const template of templates.values()) for (const [name, body] of template.defines) defines.set(name, body);
  return { templates, files: new Map(), defines, defaults, conditions: [] };
}

/** Every leaf of a values object, as its path. */
export function leaves(value: unknown, prefix: readonly string[] = []): string[][] {
  if (typeof value === "object" && value !== null && !Array.isArray(value) && Object.keys(value).length > 0) {
    return Object.entries(value).flatMap(([k, v]) => leaves(v, [...prefix, k]));
  }
  return [[...prefix]];
}


/** The leaves of `values` that no template of the chart reads under those values. */
export function unreadLeaves(chart: ChartFiles, values: Record<string, unknown>): string[][] {
  return analyse(chart, values).unread;
}

/** Where each path the templates read was first read, and the leaves of `values` never read. */
export function analyse(chart: ChartFiles, values: Record<string, unknown>): { unread: string[][]; readAt: ReadonlyMap<string, string> } {
  const merged = deepMerge(chart.defaults, values);
  const files = new Map<string, ParsedTemplate>(chart.files);
  const reads = new TemplateReads(merged, chart.defines, (path) => files.get(path));
  for (const [path, template] of chart.templates) {
    if (!path.split("/").pop()?.startsWith("_")) reads.file(template, path);
  }
  for (const condition of chart.conditions) reads.condition(condition);
  if (reads.wholeValuesReadAt.length > 0) throw new Error(`all of .Values is read whole at ${reads.wholeValuesReadAt.join("; ")}: the check would prove nothing`);
  const whole = [...reads.reads.whole].map((k) => k.split(SEP));
  const any = [...reads.reads.whole, ...reads.reads.exact].map((k) => k.split(SEP));
  const startsWith = (path: readonly string[], prefix: readonly string[]) => prefix.length <= path.length && prefix.every((p, i) => p === path[i]);
  const unread = leaves(values).filter((leaf) => {
    if (reads.reads.exact.has(leaf.join(SEP))) return false;
    if (whole.some((w) => startsWith(leaf, w))) return false;
    return !any.some((r) => r.length > leaf.length && startsWith(r, leaf));
  });
  return { unread, readAt: new Map([...reads.readAt].map(([k, at]) => [k.split(SEP).join("."), at])) };
}

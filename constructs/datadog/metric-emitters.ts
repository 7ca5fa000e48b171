import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { z } from "zod";
import { dataFile } from "../../lib/data-files";

// The trace of what sends each metric (data/datadog/metric-emitters.yaml), read and checked once.
// A malformed file is a bug in this package, so it throws rather than reporting a ConfigProblem.

const statSchema = z
  .object({
    stat: z.string().regex(/^[\w.{}-]+$/),
    values: z.record(z.array(z.string().min(1))).optional(),
    legacyOf: z.string().optional(),
    type: z.enum(["count", "gauge", "timing"]),
    tags: z.array(z.string().regex(/^[a-z_]+$/)),
    process: z.string().min(1),
    code: z.string().min(1),
    since: z.string().regex(/^\d+\.\d+\.\d+$/),
    evidence: z.string().optional(),
  })
  .strict();

const tagList = z.array(z.string().regex(/^(\$\w+|[a-z][\w./-]*)$/));

const emittersSchema = z
  .object({
    airflow: z
      .object({
        source: z.string(),
        stats: z.array(statSchema).min(1),
        notSent: z.array(z.object({ metrics: z.array(z.string()).min(1), reason: z.string().min(1) }).strict()),
      })
      .strict(),
    agentChecks: z.array(
      z
        .object({ check: z.string(), list: z.string(), configuredBy: z.string(), tags: tagList, nodeLabelTags: z.boolean().optional() })
        .strict(),
    ),
    aws: z.array(
      z
        .object({
          namespace: z.string().regex(/^aws\.\w+$/),
          list: z.string(),
          tags: tagList,
          sent: z.array(z.string()).min(1),
          notSent: z.record(z.string()),
        })
        .strict(),
    ),
  })
  .strict();

export type AirflowStat = z.output<typeof statSchema>;
export type MetricEmitters = z.output<typeof emittersSchema>;
export type AgentCheckEmitter = MetricEmitters["agentChecks"][number];
export type AwsEmitter = MetricEmitters["aws"][number];

let loaded: MetricEmitters | undefined;

export function metricEmitters(): MetricEmitters {
  if (!loaded) loaded = emittersSchema.parse(parse(readFileSync(dataFile("datadog", "metric-emitters.yaml"), "utf8")));
  return loaded;
}

const csvRows = new Map<string, readonly Readonly<Record<string, string>>[]>();

/**
 * Rows of one of the metadata CSVs in data/datadog, by column name. Descriptions may hold quoted
 * commas. Read once per process: every environment's catalog reads the same files.
 */
export function readMetricCsv(file: string): readonly Readonly<Record<string, string>>[] {
  let rows = csvRows.get(file);
  if (!rows) {
    rows = parseMetricCsv(file);
    csvRows.set(file, rows);
  }
  return rows;
}

function parseMetricCsv(file: string): Record<string, string>[] {
  const [header, ...rows] = readFileSync(dataFile("datadog", file), "utf8").split(/\r?\n/).filter((line) => line.trim().length > 0);
  const columns = splitCsvLine(header ?? "");
  if (columns[0] !== "metric_name") throw new Error(`${file}: the first column must be metric_name`);
  return rows.map((row) => {
    const cells = splitCsvLine(row);
    return Object.fromEntries(columns.map((column, i) => [column, cells[i] ?? ""]));
  });
}

export function splitCsvLine(line: string): string[] {
  const cells: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      cells.push(cell);
      cell = "";
    } else cell += ch;
  }
  cells.push(cell);
  return cells;
}

/** `a.b.c` compared numerically; true when `version` is at least `since`. */
export function versionAtLeast(version: string, since: string): boolean {
  const a = version.split(".").map(Number);
  const b = since.split(".").map(Number);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const diff = (a[i] ?? 0) - (b[i] ?? 0);
    if (diff !== 0) return diff > 0;
  }
  return true;
}

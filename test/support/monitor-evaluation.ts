import { agentReceive, compileProfiles, type DogstatsdAgentConfig } from "../../constructs/datadog/dogstatsd-agent";
import { isParsed, parseExpression, parseMonitorQuery, type MetricTerm, type ParsedQuery } from "../../constructs/datadog/monitor-query";

// A metric monitor evaluated on captured datagrams, after the agent's mapping and tagging
// (constructs/datadog/dogstatsd-agent.ts): which groups it would alert for. A model of
// Datadog's evaluation, kept to what this project's queries use:
//   - points fall into rollup buckets (5 s here, for a capture of about a minute);
//   - in a bucket, a count sums its points, a gauge keeps its last, a histogram's `.count`
//     counts samples and its `.max`/`.avg`/... take the samples' max/avg;
//   - series of one group are combined with the term's space aggregation;
//   - arithmetic is bucket by bucket, per group; a bucket where a term has no point has no
//     value, unless the term is `default_zero(...)`;
//   - the time aggregation (sum, max, min, avg) runs over the buckets with a value, and the
//     result is compared with the threshold.
// The window is the whole capture, or the part of it a test gives.

const BUCKET_MS = 5000;

export interface CapturedLine {
  readonly atMs: number;
  readonly line: string;
}

export interface StoredPoint {
  readonly atMs: number;
  readonly name: string;
  readonly tags: readonly string[];
  readonly type: string;
  readonly value: number;
}

/** What Datadog would store for the captured lines, as points with their arrival time. */
export function storedPoints(lines: readonly CapturedLine[], agent: DogstatsdAgentConfig): StoredPoint[] {
  const compiled = compileProfiles(agent.mapperProfiles);
  return lines.flatMap(({ atMs, line }) => {
    const value = Number(line.slice(line.indexOf(":") + 1).split("|")[0]);
    return agentReceive(line, agent, compiled).map((series) => ({ atMs, ...series, value: series.name.endsWith(".count") && series.type === "ms" ? 1 : value }));
  });
}

const aggregate = (how: string, values: readonly number[]): number => {
  if (how === "sum") return values.reduce((a, b) => a + b, 0);
  if (how === "max") return Math.max(...values);
  if (how === "min") return Math.min(...values);
  return values.reduce((a, b) => a + b, 0) / values.length;
};

function groupKey(term: MetricTerm, tags: readonly string[]): string | undefined {
  const parts = term.groupBy.map((key) => tags.find((t) => t.startsWith(`${key}:`)));
  return parts.every((p) => p !== undefined) ? parts.join(",") : undefined;
}

/** bucket → group → value of one term. */
function termValues(term: MetricTerm, points: readonly StoredPoint[], buckets: readonly number[]): Map<number, Map<string, number>> {
  const matching = points.filter((p) => p.name === term.metric && term.scope.every((filter) => p.tags.includes(filter)));
  const result = new Map<number, Map<string, number>>();
  for (const bucket of buckets) {
    const inBucket = matching.filter((p) => Math.floor(p.atMs / BUCKET_MS) === bucket);
    const perSeries = new Map<string, { group: string; values: number[]; type: string; name: string }>();
    for (const p of inBucket) {
      const group = groupKey(term, p.tags);
      if (group === undefined) continue;
      const id = [...p.tags].sort().join(",");
      const entry = perSeries.get(id) ?? { group, values: [], type: p.type, name: p.name };
      entry.values.push(p.value);
      perSeries.set(id, entry);
    }
    const perGroup = new Map<string, number[]>();
    for (const { group, values, type, name } of perSeries.values()) {
      const rolled = type === "c" || name.endsWith(".count") ? aggregate("sum", values) : name.endsWith(".max") ? aggregate("max", values) : type === "g" ? values[values.length - 1] : aggregate("avg", values);
      perGroup.set(group, [...(perGroup.get(group) ?? []), rolled]);
    }
    result.set(bucket, new Map([...perGroup].map(([group, values]) => [group, aggregate(term.spaceAggregation, values)])));
  }
  return result;
}

/** The query's arithmetic, left to right with * and / first; undefined when a term has no value. */
function combine(expression: string, values: readonly (number | undefined)[]): number | undefined {
  if (values.some((v) => v === undefined)) return undefined;
  let i = 0;
  const tokens = expression
    .replace(/(default_zero\()?(avg|max|min|sum):[a-zA-Z][a-zA-Z0-9_.]*\{[^}]*\}(\s+by\s+\{[^}]*\})?(\.(as_count|as_rate)\(\))?\)?/g, () => `#${i++}`)
    .match(/#\d+|-?\d+(?:\.\d+)?|[-+*/]/g);
  if (!tokens) return undefined;
  const operand = (token: string) => (token.startsWith("#") ? (values[Number(token.slice(1))] as number) : Number(token));
  // * and / first, then + and -.
  const sums: (number | string)[] = [operand(tokens[0])];
  for (let k = 1; k < tokens.length; k += 2) {
    const [op, next] = [tokens[k], operand(tokens[k + 1])];
    if (op === "*" || op === "/") sums[sums.length - 1] = op === "*" ? (sums[sums.length - 1] as number) * next : (sums[sums.length - 1] as number) / next;
    else sums.push(op, next);
  }
  let total = sums[0] as number;
  for (let k = 1; k < sums.length; k += 2) total = sums[k] === "+" ? total + (sums[k + 1] as number) : total - (sums[k + 1] as number);
  return total;
}

const compare = (query: ParsedQuery, value: number) =>
  query.comparator === ">" ? value > query.threshold : query.comparator === ">=" ? value >= query.threshold : query.comparator === "<" ? value < query.threshold : value <= query.threshold;

export interface Evaluation {
  /** Each group's value over the window (`*` when the query groups by nothing). */
  readonly values: ReadonlyMap<string, number>;
  /** The groups that would alert. */
  readonly alerting: readonly string[];
}

/** Evaluates a monitor's query on the points stored in a window of the capture. */
export function evaluateMonitor(query: string, points: readonly StoredPoint[], window?: { fromMs: number; toMs: number }): Evaluation {
  const parsed = parseMonitorQuery(query);
  if (!isParsed(parsed)) throw new Error(`query does not parse: ${parsed.error}: ${query}`);
  const inWindow = window ? points.filter((p) => p.atMs >= window.fromMs && p.atMs <= window.toMs) : points;
  const times = inWindow.map((p) => p.atMs);
  const first = Math.floor((window?.fromMs ?? Math.min(...times)) / BUCKET_MS);
  const last = Math.floor((window?.toMs ?? Math.max(...times)) / BUCKET_MS);
  const buckets = Array.from({ length: Math.max(0, last - first + 1) }, (_, k) => first + k);
  const head = /^(avg|max|min|sum)\(last_\d+[mhdw]\):/.exec(query)?.[0] ?? "";
  const tail = /\s*(>=|<=|>|<)\s*(-?\d+(?:\.\d+)?)$/.exec(query)?.[0] ?? "";
  const expression = query.slice(head.length, query.length - tail.length);
  const terms = parseExpression(expression);
  if ("error" in terms) throw new Error(terms.error);
  const perTerm = terms.map((term) => termValues(term, inWindow, buckets));
  const groups = new Set(perTerm.flatMap((t) => [...t.values()].flatMap((g) => [...g.keys()])));
  if (groups.size === 0 && terms.every((t) => t.groupBy.length === 0)) groups.add("");
  const values = new Map<string, number>();
  for (const group of groups) {
    const series = buckets.flatMap((bucket) => {
      const value = combine(
        expression,
        terms.map((term, k) => perTerm[k].get(bucket)?.get(term.groupBy.length === 0 ? "" : group) ?? (term.defaultZero ? 0 : undefined)),
      );
      return value === undefined ? [] : [value];
    });
    if (series.length > 0) values.set(group === "" ? "*" : group, aggregate(parsed.timeAggregation, series));
  }
  return { values, alerting: [...values].filter(([, value]) => compare(parsed, value)).map(([group]) => group) };
}

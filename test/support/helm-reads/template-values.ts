// The abstract values the template walk computes: where a value may come from (paths under
// .Values, the root context, a list built in the template), what it is when the values say, and
// what a helper read to produce it.

export const UNKNOWN: unique symbol = Symbol("unknown");
export type Concrete = unknown;

/** Where a value may come from, and what it is when the values say. */
export interface Value {
  readonly paths: readonly (readonly string[])[];
  readonly root: boolean;
  readonly items?: readonly Value[];
  readonly concrete: Concrete;
  /** What a helper read to produce this value (its `include` output): read only if it is used. */
  readonly deferred?: readonly Deferred[];
}

/** A read a helper made, held until its output is printed or decides something. */
export type Deferred = readonly [path: string, whole: boolean, at: string];

export const SEP = "\u0000";
export const key = (path: readonly string[]) => path.join(SEP);
export const none: Value = { paths: [], root: false, concrete: UNKNOWN };
export const literal = (concrete: Concrete): Value => ({ paths: [], root: false, concrete });

export function truthy(v: Concrete): boolean | undefined {
  if (v === UNKNOWN) return undefined;
  if (v === null || v === undefined || v === false || v === 0 || v === "") return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === "object") return Object.keys(v as object).length > 0;
  return true;
}

export function lookup(values: unknown, path: readonly string[]): Concrete {
  let at: unknown = values;
  for (const name of path) {
    if (typeof at !== "object" || at === null || Array.isArray(at)) return at === null || at === undefined ? undefined : UNKNOWN;
    at = (at as Record<string, unknown>)[name];
  }
  return at;
}

export function union(values: readonly Value[], concrete: Concrete = UNKNOWN): Value {
  if (values.length === 1 && concrete === UNKNOWN) return values[0];
  const deferred = values.flatMap((v) => [...(v.deferred ?? []), ...(v.items ?? []).flatMap((i) => i.deferred ?? [])]);
  return { paths: values.flatMap((v) => v.paths), root: values.some((v) => v.root), items: undefined, concrete, deferred };
}

/** Sprig's merge: keys of `src` missing from `dest` are added; nested maps merge the same way. */
export function mergeInto(dest: Concrete, src: Concrete): Concrete {
  const isMap = (v: Concrete): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
  if (!isMap(dest) || !isMap(src)) return dest === undefined || dest === null ? src : dest;
  const out: Record<string, unknown> = { ...dest };
  for (const [k, v] of Object.entries(src)) out[k] = k in out ? mergeInto(out[k], v) : v;
  return out;
}

/** A map or list from the values, entry by entry, each still located under its path. */
export function concreteEntries(v: Value): (readonly [string, Value])[] | undefined {
  const c = v.concrete;
  if (c === UNKNOWN || typeof c !== "object" || c === null) return undefined;
  return Object.entries(c as Record<string, unknown>).map(([k, item]) => [k, { paths: v.paths.map((p) => [...p, k]), root: false, concrete: item }] as const);
}

export function kindOf(v: Concrete): string | undefined {
  if (v === UNKNOWN) return undefined;
  if (v === null || v === undefined) return "invalid";
  if (Array.isArray(v)) return "slice";
  if (typeof v === "object") return "map";
  if (typeof v === "boolean") return "bool";
  if (typeof v === "number") return Number.isInteger(v) ? "int" : "float64";
  return "string";
}

/** Masterminds semver constraints as the charts use them: one comparison, or several joined by commas. */
export function semverCompare(constraint: string, version: string): boolean | typeof UNKNOWN {
  const parse = (v: string) => v.replace(/^v/, "").split(/[.-]/).slice(0, 3).map((x) => Number(x));
  const have = parse(version);
  if (have.some((n) => Number.isNaN(n))) return UNKNOWN;
  return constraint.split(",").every((part) => {
    const m = /^\s*(>=|<=|>|<|=|!=)?\s*v?([\d.]+)/.exec(part);
    if (!m) return false;
    const want = parse(m[2]);
    const cmp = have[0] - want[0] || have[1] - (want[1] ?? 0) || have[2] - (want[2] ?? 0);
    const ops: Record<string, boolean> = { ">=": cmp >= 0, "<=": cmp <= 0, ">": cmp > 0, "<": cmp < 0, "=": cmp === 0, "!=": cmp !== 0 };
    return ops[m[1] ?? "="] === true;
  });
}

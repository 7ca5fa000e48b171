import { kindOf, literal, mergeInto, none, semverCompare, truthy, union, UNKNOWN, type Value } from "./template-values";

// What each template function does with the values it is given: decides on them (read as one
// value), passes them on (read when the result is used), or consumes them (read whole).

/** What a function needs of the walk. */
export interface FunctionWalker {
  read(v: Value, whole: boolean): void;
  include(name: string, arg: Value): Value;
  field(base: Value, names: readonly string[]): Value;
  /** Walks a template string from the values (`tpl`) with a context; returns what it prints. */
  tpl(text: string, context: Value, certain: boolean): Value;
}

/** Functions that only look at their arguments' values to decide; their results are not the arguments. */
const DECIDING = new Set(["not", "eq", "ne", "lt", "le", "gt", "ge", "empty", "kindIs", "typeIs", "kindOf", "typeOf", "len", "contains", "hasPrefix", "hasSuffix", "semverCompare", "has", "regexMatch", "mustRegexMatch", "required", "fail"]);
/** Functions whose result is (one of) their arguments, unread until the result is used. */
const PASSING = new Set(["default", "or", "and", "coalesce", "deepCopy", "mustDeepCopy", "merge", "mustMerge", "mergeOverwrite", "mustMergeOverwrite", "ternary", "compact", "uniq", "concat", "append"]);


export function callFunction(walker: FunctionWalker, name: string, args: readonly Value[], certain: boolean): Value {
  const c = args.map((a) => a.concrete);
  const known = c.every((x) => x !== UNKNOWN);
  switch (name) {
    case "__field":
      return walker.field(args[0], String(c[1]).split("."));
    case "include":
      return walker.include(String(c[0]), args[1] ?? none);
    case "fromYaml":
    case "fromJson":
      return { ...none, deferred: args[0]?.deferred };
    case "trim":
      return { ...none, concrete: typeof c[0] === "string" ? c[0].trim() : UNKNOWN, deferred: args[0]?.deferred };
    case "tpl":
      walker.read(args[0], true);
      // A template string from the values (the chart's defaults hold some) reads values too.
      if (typeof c[0] === "string" && c[0].includes("{{")) return walker.tpl(c[0], args[1] ?? none, certain);
      return literal(typeof c[0] === "string" ? c[0] : UNKNOWN);
    case "toString":
      walker.read(args[0] ?? none, true);
      return literal(["string", "number", "boolean"].includes(typeof c[0]) ? String(c[0]) : UNKNOWN);
    case "deepCopy":
    case "mustDeepCopy":
      return args[0] ?? none;
    case "get":
    case "index":
      if (args.length >= 2 && args.slice(1).every((a) => typeof a.concrete === "string" || typeof a.concrete === "number")) {
        if (args[0].items && typeof c[1] === "number") return args[0].items[c[1]] ?? none;
        return walker.field(args[0], args.slice(1).map((a) => String(a.concrete)));
      }
      // A key the values do not settle: the map is looked into, no child of it is known to be read.
      walker.read(args[0], false);
      return none;
    case "pluck": {
      const picked = args.slice(1).map((a) => walker.field(a, [String(c[0])]));
      return { ...union(picked), items: picked };
    }
    case "first":
    case "last":
      if (args[0]?.items) return args[0].items[name === "first" ? 0 : args[0].items.length - 1] ?? none;
      walker.read(args[0] ?? none, true);
      return none;
    case "set":
    case "unset": {
      // Mutating .Values itself (a copy of the context) outputs nothing; a value stored into a
      // local dict may be printed later, so it counts as read now.
      const intoValues = (args[0]?.root ?? false) || (args[0]?.paths ?? []).some((p) => p.length === 0);
      if (!intoValues && args[2]) walker.read(args[2], true);
      return args[0] ?? none;
    }
    case "merge":
    case "mustMerge":
    case "mergeOverwrite":
    case "mustMergeOverwrite":
      // `merge (dict "key" "webserver") .`: the context with extra keys, as the service-account helpers build it.
      if (args.some((a) => a.root)) {
        const extra = args.find((a) => !a.root && typeof a.concrete === "object" && a.concrete !== null);
        return { paths: args.flatMap((a) => a.paths), root: true, concrete: extra?.concrete ?? UNKNOWN };
      }
      return { ...union(args), concrete: known ? c.reduce((dest, src) => (name.includes("Overwrite") ? mergeInto(src, dest) : mergeInto(dest, src))) : UNKNOWN };
    case "list":
      return { paths: [], root: false, items: args, concrete: known ? c : UNKNOWN };
    case "dict": {
      // A dict holding `.Values` (the git-sync helper's context) reads like the root context.
      const holdsValues = args.some((a, i) => i % 2 === 1 && a.paths.some((p) => p.length === 0));
      const concrete: Record<string, unknown> = {};
      for (let i = 0; i + 1 < args.length; i += 2) concrete[String(c[i])] = c[i + 1];
      return holdsValues ? { paths: [], root: true, concrete: UNKNOWN } : { ...union(args.filter((_, i) => i % 2 === 1)), concrete: known ? concrete : UNKNOWN };
    }
    case "hasKey": {
      const target = walker.field(args[0] ?? none, [String(c[1])]);
      walker.read(target, false);
      const map = c[0];
      return literal(map !== UNKNOWN && typeof map === "object" && map !== null && typeof c[1] === "string" ? c[1] in map : UNKNOWN);
    }
    case "and":
    case "or": {
      for (const a of args) walker.read(a, false);
      const truths = c.map(truthy);
      const pick = name === "and" ? truths.findIndex((t) => t !== true) : truths.findIndex((t) => t !== false);
      if (pick < 0) return { ...union(args), concrete: c[c.length - 1] };
      return { ...union(args), concrete: truths[pick] === undefined ? UNKNOWN : c[pick] };
    }
    case "not":
      walker.read(args[0] ?? none, false);
      return literal(truthy(c[0]) === undefined ? UNKNOWN : !truthy(c[0]));
    case "eq":
    case "ne":
      for (const a of args) walker.read(a, false);
      if (!known || c.some((x) => typeof x === "object" && x !== null)) return literal(UNKNOWN);
      return literal(name === "eq" ? c.slice(1).some((x) => x === c[0]) : c[0] !== c[1]);
    case "contains":
      for (const a of args) walker.read(a, false);
      return literal(typeof c[0] === "string" && typeof c[1] === "string" ? c[1].includes(c[0]) : UNKNOWN);
    case "semverCompare":
      walker.read(args[1] ?? none, false);
      return literal(typeof c[0] === "string" && typeof c[1] === "string" ? semverCompare(c[0], c[1]) : UNKNOWN);
    case "empty":
      walker.read(args[0] ?? none, false);
      return literal(truthy(c[0]) === undefined ? UNKNOWN : !truthy(c[0]));
    case "kindIs": {
      walker.read(args[1] ?? none, false);
      const kind = kindOf(c[1]);
      return literal(kind === undefined || c[0] === UNKNOWN ? UNKNOWN : kind === c[0]);
    }
    case "default": {
      const [fallback, given] = [args[0] ?? none, args[1] ?? none];
      walker.read(given, false);
      const t = truthy(given.concrete);
      return t === true ? given : t === false ? fallback : union([given, fallback]);
    }
    case "ternary": {
      walker.read(args[2] ?? none, false);
      const t = truthy(c[2]);
      return t === true ? args[0] : t === false ? args[1] : union([args[0] ?? none, args[1] ?? none]);
    }
    default:
      if (DECIDING.has(name)) {
        for (const a of args) walker.read(a, false);
        return literal(UNKNOWN);
      }
      if (PASSING.has(name)) return union(args);
      // Everything else (toYaml, quote, printf, b64enc, sha256sum, indent, …) consumes its arguments.
      for (const a of args) walker.read(a, true);
      return none;
  }
}

// A parser for the metric-monitor queries this project writes:
//   time_agg(last_Nm):[default_zero(]space_agg:metric{scope} [by {groups}] [.as_count()][)] [op term ...] comparator threshold
// It is deliberately narrower than Datadog's grammar: a query it cannot read is a query nobody
// has checked, so it is refused rather than passed through.

export type Comparator = ">" | ">=" | "<" | "<=";

export interface MetricTerm {
  /** `default_zero(...)` around the term: no data counts as 0, so an absence can alert. */
  readonly defaultZero: boolean;
  readonly spaceAggregation: string;
  readonly metric: string;
  /** `key:value` filters; empty for `*`. */
  readonly scope: readonly string[];
  readonly groupBy: readonly string[];
  readonly modifier?: "as_count" | "as_rate";
}

export interface ParsedQuery {
  readonly timeAggregation: string;
  /** The evaluation window, e.g. `last_15m`. */
  readonly window: string;
  readonly windowMinutes: number;
  readonly terms: readonly MetricTerm[];
  readonly comparator: Comparator;
  readonly threshold: number;
}

const AGGREGATIONS = ["avg", "max", "min", "sum"];
const WINDOW_UNITS: Record<string, number> = { m: 1, h: 60, d: 1440, w: 10080 };
const HEAD = /^(avg|max|min|sum)\(last_(\d+)([mhdw])\):/;
const TAIL = /\s*(>=|<=|>|<)\s*(-?\d+(?:\.\d+)?)$/;
const TERM = /^(default_zero\()?(avg|max|min|sum):([a-zA-Z][a-zA-Z0-9_.]*)\{([^}]*)\}(?:\s+by\s+\{([^}]*)\})?(?:\.(as_count|as_rate)\(\))?/;
const NUMBER = /^-?\d+(?:\.\d+)?/;
const OPERATOR = /^\s*([-+*/])\s*/;
const TAG = /^[a-z][\w.\-/]*:[\w.\-/:]+$/;

function splitList(text: string | undefined): string[] {
  return (text ?? "").split(",").map((t) => t.trim()).filter((t) => t.length > 0);
}

/**
 * Parses the arithmetic between the window and the comparator (also a dashboard request's `q`):
 * terms, numbers and operators, or one sentence saying why it cannot.
 */
export function parseExpression(expression: string): readonly MetricTerm[] | { readonly error: string } {
  let rest = expression.trim();
  const terms: MetricTerm[] = [];
  let expectTerm = true;
  while (rest.length > 0) {
    if (expectTerm) {
      const term = TERM.exec(rest);
      if (term) {
        const scope = term[4].trim() === "*" ? [] : splitList(term[4]);
        const badTag = scope.find((t) => !TAG.test(t));
        if (badTag) return { error: `scope filter "${badTag}" is not key:value` };
        const defaultZero = term[1] !== undefined;
        rest = rest.slice(term[0].length);
        if (defaultZero) {
          if (!rest.startsWith(")")) return { error: "default_zero( needs its closing parenthesis right after the term" };
          rest = rest.slice(1);
        }
        terms.push({ defaultZero, spaceAggregation: term[2], metric: term[3], scope, groupBy: splitList(term[5]), modifier: term[6] as MetricTerm["modifier"] });
      } else {
        const number = NUMBER.exec(rest);
        if (!number) return { error: `cannot read "${rest.slice(0, 40)}" as space_agg:metric{scope} or a number` };
        rest = rest.slice(number[0].length);
      }
      expectTerm = false;
    } else {
      const operator = OPERATOR.exec(rest);
      if (!operator) return { error: `expected an operator before "${rest.slice(0, 40)}"` };
      rest = rest.slice(operator[0].length);
      expectTerm = true;
    }
  }
  if (expectTerm || terms.length === 0) return { error: "needs at least one metric and no dangling operator" };
  return terms;
}

/** Parses a query, or explains in one sentence why it cannot. */
export function parseMonitorQuery(query: string): ParsedQuery | { readonly error: string } {
  const head = HEAD.exec(query);
  if (!head) return { error: "must start with a time aggregation and window such as avg(last_5m):" };
  const tail = TAIL.exec(query);
  if (!tail) return { error: "must end with a comparator (>, >=, <, <=) and a numeric threshold" };
  const terms = parseExpression(query.slice(head[0].length, query.length - tail[0].length));
  if ("error" in terms) return terms;
  if (!AGGREGATIONS.includes(head[1])) return { error: `unknown time aggregation ${head[1]}` };
  return {
    timeAggregation: head[1],
    window: `last_${head[2]}${head[3]}`,
    windowMinutes: Number(head[2]) * WINDOW_UNITS[head[3]],
    terms,
    comparator: tail[1] as Comparator,
    threshold: Number(tail[2]),
  };
}

export function isParsed(result: ParsedQuery | { readonly error: string }): result is ParsedQuery {
  return !("error" in result);
}

// Go's text/template syntax, as Helm charts use it, parsed far enough to follow where values are
// read: actions, control blocks (if/with/range/define/block and their else branches) and the
// pipelines inside them. Text between actions is kept (trim markers applied) only so that a
// helper's output can be known when the values settle it (`include "should-deploy-…" .` → "true").

/** One operand or command argument of a pipeline. */
export type Expr =
  | { readonly kind: "field"; readonly base: "dot" | "root" | { readonly variable: string }; readonly names: readonly string[] }
  | { readonly kind: "string"; readonly value: string }
  | { readonly kind: "number"; readonly value: number }
  | { readonly kind: "bool"; readonly value: boolean }
  | { readonly kind: "nil" }
  | { readonly kind: "call"; readonly name: string; readonly args: readonly Expr[] }
  | { readonly kind: "pipe"; readonly pipe: Pipeline };

/** `$a, $b := cmd | cmd` or `$a = cmd`: commands, each a function and its arguments. */
export interface Pipeline {
  readonly declare: readonly string[];
  readonly assign: boolean;
  readonly commands: readonly (readonly Expr[])[];
}

export type Node =
  | { readonly kind: "text"; readonly text: string }
  | { readonly kind: "action"; readonly pipe: Pipeline }
  | { readonly kind: "if" | "with" | "range"; readonly pipe: Pipeline; readonly body: readonly Node[]; readonly orElse: readonly Node[] }
  | { readonly kind: "template"; readonly name: string; readonly arg: Pipeline | undefined }
  | { readonly kind: "break" | "continue" };

export interface ParsedTemplate {
  readonly nodes: readonly Node[];
  readonly defines: ReadonlyMap<string, readonly Node[]>;
}

/** The template as text and `{{ … }}` actions, in order; trim markers applied, comments dropped. */
function segments(source: string): ({ text: string } | { action: string })[] {
  const found: ({ text: string } | { action: string })[] = [];
  let at = 0;
  let trimNext = false;
  for (;;) {
    const open = source.indexOf("{{", at);
    let text = source.slice(at, open < 0 ? undefined : open);
    if (trimNext) text = text.replace(/^\s+/, "");
    if (open >= 0 && source[open + 2] === "-" && /\s/.test(source[open + 3] ?? "")) text = text.replace(/\s+$/, "");
    if (text !== "") found.push({ text });
    if (open < 0) return found;
    let i = open + 2;
    let quote: string | undefined;
    for (; i < source.length; i++) {
      const c = source[i];
      if (quote) {
        if (c === "\\" && quote === '"') i++;
        else if (c === quote) quote = undefined;
      } else if (c === '"' || c === "`") quote = c;
      else if (source.startsWith("}}", i)) break;
      else if (source.startsWith("/*", i)) i = source.indexOf("*/", i) + 1;
    }
    const raw = source.slice(open + 2, i);
    trimNext = /\s-$/.test(raw);
    const inner = raw.replace(/^-\s/, "").replace(/\s-$/, "").trim();
    if (!inner.startsWith("/*")) found.push({ action: inner });
    at = i + 2;
  }
}

const TOKEN = /\s+|("(?:[^"\\]|\\.)*"|`[^`]*`|'(?:[^'\\]|\\.)*')|(\$[\w]*(?:\.[\w]+)*|(?:\.[\w]+)+|\.)|(:=|=|\||\(|\)|,)|(-?\d+(?:\.\d+)?)|([A-Za-z_][\w]*(?:\.[\w]+)*)/y;

const CHAINED = "\u0001";

function tokens(text: string): string[] {
  const out: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    const start = TOKEN.lastIndex;
    const m = TOKEN.exec(text);
    if (!m || TOKEN.lastIndex === start) throw new Error(`cannot read template action at "${text.slice(start, start + 40)}" in {{ ${text} }}`);
    // `(expr).field` chains a field only when nothing separates it from the parenthesis.
    if (m[0].trim() !== "") out.push(m[0].startsWith(".") && m[0] !== "." && text[start - 1] === ")" ? CHAINED + m[0] : m[0]);
  }
  return out;
}

function unquote(token: string): string {
  if (token.startsWith("`")) return token.slice(1, -1);
  if (token.startsWith("'")) return token.slice(1, -1);
  return JSON.parse(token) as string;
}

function operand(token: string): Expr {
  if (/^["`']/.test(token)) return { kind: "string", value: unquote(token) };
  if (/^-?\d/.test(token)) return { kind: "number", value: Number(token) };
  if (token === "true" || token === "false") return { kind: "bool", value: token === "true" };
  if (token === "nil") return { kind: "nil" };
  if (token === ".") return { kind: "field", base: "dot", names: [] };
  if (token.startsWith(".")) return { kind: "field", base: "dot", names: token.slice(1).split(".") };
  if (token.startsWith("$")) {
    const [variable, ...names] = token.split(".");
    return { kind: "field", base: variable === "$" ? "root" : { variable }, names };
  }
  return { kind: "call", name: token, args: [] };
}

/** Parses one pipeline from tokens[at…]; stops at an unmatched `)` or the end. */
function pipeline(toks: readonly string[], at: number): { pipe: Pipeline; next: number } {
  let i = at;
  const declare: string[] = [];
  let assign = false;
  const decl = toks.findIndex((t, k) => k >= at && (t === ":=" || t === "="));
  if (decl > at && toks.slice(at, decl).every((t) => t.startsWith("$") || t === ",")) {
    declare.push(...toks.slice(at, decl).filter((t) => t !== ","));
    assign = toks[decl] === "=";
    i = decl + 1;
  }
  const commands: Expr[][] = [[]];
  while (i < toks.length && toks[i] !== ")") {
    const t = toks[i];
    if (t === "|") commands.push([]);
    else if (t === "(") {
      const inner = pipeline(toks, i + 1);
      let expr: Expr = { kind: "pipe", pipe: inner.pipe };
      i = inner.next;
      // `(expr).field` chains a field onto a parenthesised value.
      if (toks[i + 1]?.startsWith(CHAINED)) {
        i++;
        expr = { kind: "call", name: "__field", args: [expr, { kind: "string", value: toks[i].slice(2) }] };
      }
      commands[commands.length - 1].push(expr);
    } else if (t !== ",") commands[commands.length - 1].push(operand(t));
    i++;
  }
  return { pipe: { declare, assign, commands }, next: i };
}

const KEYWORD = /^(if|with|range|else|end|define|block|template|break|continue)\b\s*/;

/** Parses a template file into its top-level nodes and the templates it defines. */
export function parseTemplate(source: string, file: string): ParsedTemplate {
  const defines = new Map<string, Node[]>();
  interface Frame { kind: "root" | "if" | "with" | "range" | "define" | "block"; pipe?: Pipeline; name?: string; body: Node[]; orElse: Node[]; inElse: boolean; chained: number }
  const stack: Frame[] = [{ kind: "root", body: [], orElse: [], inElse: false, chained: 0 }];
  const top = () => stack[stack.length - 1];
  const emit = (node: Node) => (top().inElse ? top().orElse : top().body).push(node);
  const close = (): void => {
    const frame = stack.pop();
    if (!frame || frame.kind === "root") throw new Error(`${file}: {{ end }} without a block`);
    if (frame.kind === "define" || frame.kind === "block") {
      defines.set(frame.name ?? "", frame.body);
      if (frame.kind === "block") emit({ kind: "template", name: frame.name ?? "", arg: frame.pipe });
      return;
    }
    emit({ kind: frame.kind, pipe: frame.pipe ?? { declare: [], assign: false, commands: [] }, body: frame.body, orElse: frame.orElse });
    // `else if` opened a nested block that the one `end` also closes.
    for (let k = 0; k < frame.chained; k++) close();
  };
  for (const segment of segments(source)) {
    if ("text" in segment) {
      emit({ kind: "text", text: segment.text });
      continue;
    }
    const text = segment.action;
    const keyword = KEYWORD.exec(text);
    const rest = keyword ? text.slice(keyword[0].length) : text;
    const word = keyword?.[1];
    if (word === "if" || word === "with" || word === "range") {
      stack.push({ kind: word, pipe: pipeline(tokens(rest), 0).pipe, body: [], orElse: [], inElse: false, chained: 0 });
    } else if (word === "else") {
      const frame = top();
      frame.inElse = true;
      const nested = /^(if|with)\b\s*/.exec(rest);
      if (nested) {
        stack.push({ kind: nested[1] as "if" | "with", pipe: pipeline(tokens(rest.slice(nested[0].length)), 0).pipe, body: [], orElse: [], inElse: false, chained: frame.chained + 1 });
        frame.chained = 0;
      }
    } else if (word === "end") close();
    else if (word === "define" || word === "block") {
      const toks = tokens(rest);
      stack.push({ kind: word, name: unquote(toks[0]), pipe: word === "block" ? pipeline(toks, 1).pipe : undefined, body: [], orElse: [], inElse: false, chained: 0 });
    } else if (word === "template") {
      const toks = tokens(rest);
      emit({ kind: "template", name: unquote(toks[0]), arg: toks.length > 1 ? pipeline(toks, 1).pipe : undefined });
    } else if (word === "break" || word === "continue") emit({ kind: word });
    else emit({ kind: "action", pipe: pipeline(tokens(text), 0).pipe });
  }
  if (stack.length !== 1) throw new Error(`${file}: ${stack.length - 1} block(s) not closed`);
  return { nodes: stack[0].body, defines };
}

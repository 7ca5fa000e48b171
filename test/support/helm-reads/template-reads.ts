import { callFunction, type FunctionWalker } from "./template-functions";
import { parseTemplate, type Expr, type Node, type ParsedTemplate, type Pipeline } from "./template-syntax";
import { concreteEntries, key, literal, lookup, none, truthy, union, UNKNOWN, type Concrete, type Deferred, type Value } from "./template-values";

export interface Reads {
  /** Paths whose whole subtree was read (printed, iterated, serialized). */
  readonly whole: Set<string>;
  /** Paths read as one value (tested, compared), not their children. */
  readonly exact: Set<string>;
}

// Which `.Values` paths a chart's templates read when rendered with given values. The templates
// are walked, not rendered: every expression is followed as far as where its value may come from
// (a path under .Values, the root context, a list of those) and, where the values decide it, what
// it is. A branch whose condition the values settle is followed only the way Helm would go; any
// other branch is followed too. A path counts as read when its value reaches the output or a
// decision: printed, passed to toYaml/tpl/quote/…, iterated with range, compared, or tested by if.
// A value whose parent block is printed or iterated whole is read with it.

type Env = Map<string, Value>;
interface Scope {
  readonly dot: Value;
  readonly root: Value;
  readonly vars: Env[];
  certain: boolean;
}

export class TemplateReads implements FunctionWalker {
  readonly reads: Reads = { whole: new Set(), exact: new Set() };
  private readonly analysed = new Set<string>();
  /** Reads of helpers being walked, by signature; a helper's reads count only where its output is used. */
  private readonly helperReads = new Map<string, readonly Deferred[]>();
  private readonly collecting: Deferred[][] = [];
  /** What each helper being walked prints, while the values settle it; UNKNOWN once they do not. */
  private readonly output: (string[] | typeof UNKNOWN)[] = [];
  private readonly helperOutput = new Map<string, Concrete>();
  private depth = 0;
  /** The file and helpers being walked, for saying where something was read. */
  private readonly trail: string[] = [];
  /** Where all of `.Values` was read whole, if anywhere: that would make every leaf read. */
  readonly wholeValuesReadAt: string[] = [];
  /** The first place each path was read, for explaining a verdict. */
  readonly readAt = new Map<string, string>();

  constructor(
    private readonly values: unknown,
    private readonly defines: ReadonlyMap<string, readonly Node[]>,
    private readonly files: (path: string) => ParsedTemplate | undefined,
  ) {}

  /** Walks one rendered file with the chart's root context. */
  file(template: ParsedTemplate, name = "(file)"): void {
    const root: Value = { paths: [], root: true, concrete: UNKNOWN };
    this.trail.push(name);
    this.nodes(template.nodes, { dot: root, root, vars: [new Map()], certain: true });
    this.trail.pop();
  }

  /** Marks a path as decided by a condition outside the templates (a sub-chart's `condition`). */
  condition(path: readonly string[]): void {
    this.reads.exact.add(key(path));
  }

  read(v: Value, whole: boolean): void {
    for (const p of v.paths) this.commit([key(p), whole, this.trail.join(" > ")]);
    for (const d of v.deferred ?? []) this.commit(d);
    if (v.root && whole) this.commit(["", true, this.trail.join(" > ")]);
    for (const item of v.items ?? []) this.read(item, whole);
  }

  private print(text: string | typeof UNKNOWN): void {
    const top = this.output.length - 1;
    if (top < 0 || this.output[top] === UNKNOWN) return;
    if (text === UNKNOWN) this.output[top] = UNKNOWN;
    else (this.output[top] as string[]).push(text);
  }

  private commit(read: Deferred): void {
    const collector = this.collecting[this.collecting.length - 1];
    if (collector) {
      collector.push(read);
      return;
    }
    const [path, whole, at] = read;
    (whole ? this.reads.whole : this.reads.exact).add(path);
    if (!this.readAt.has(path)) this.readAt.set(path, at);
    if (whole && path === "") this.wholeValuesReadAt.push(at);
  }

  private nodes(nodes: readonly Node[], scope: Scope): "break" | "continue" | undefined {
    for (const node of nodes) {
      const signal = this.node(node, scope);
      if (signal) return signal;
    }
    return undefined;
  }

  private node(node: Node, scope: Scope): "break" | "continue" | undefined {
    switch (node.kind) {
      case "text":
        this.print(node.text);
        return undefined;
      case "action": {
        const v = this.pipeline(node.pipe, scope);
        if (node.pipe.declare.length === 0) {
          this.read(v, true);
          this.print(v.concrete === null || v.concrete === undefined ? "" : ["string", "number", "boolean"].includes(typeof v.concrete) ? String(v.concrete) : UNKNOWN);
        }
        return undefined;
      }
      case "break":
      case "continue":
        return scope.certain ? node.kind : undefined;
      case "template": {
        const printed = this.include(node.name, node.arg ? this.pipeline(node.arg, scope) : none);
        this.read(printed, true);
        this.print(typeof printed.concrete === "string" ? printed.concrete : UNKNOWN);
        return undefined;
      }
      case "if":
      case "with": {
        const inner: Scope = { ...scope, vars: [...scope.vars, new Map()] };
        const cond = this.pipeline(node.pipe, inner);
        this.read(cond, false);
        const decided = truthy(cond.concrete);
        const bodyScope: Scope = { ...inner, dot: node.kind === "with" ? cond : scope.dot, certain: scope.certain && decided === true };
        const elseScope: Scope = { ...scope, vars: [...scope.vars, new Map()], certain: scope.certain && decided === false };
        let signal: "break" | "continue" | undefined;
        if (decided === undefined) this.print(UNKNOWN);
        if (decided !== false) signal = this.nodes(node.body, bodyScope) ?? signal;
        if (decided !== true) signal = this.nodes(node.orElse, elseScope) ?? signal;
        return signal;
      }
      case "range": {
        const inner: Scope = { ...scope, vars: [...scope.vars, new Map()] };
        const over = this.pipeline({ ...node.pipe, declare: [], assign: false }, inner);
        // Iterating a list the template built (`range (list .Values.a .Values)`) reads each item
        // only as far as the body does; iterating a value from .Values reads all of it.
        if (!over.items) this.read(over, true);
        const entries = over.items?.map((item, i) => [String(i), item] as const) ?? concreteEntries(over);
        const count = truthy(over.concrete);
        const each = entries ?? [["", none] as const];
        let certain = scope.certain && entries !== undefined;
        for (const [index, item] of each) {
          const bodyScope: Scope = { ...inner, dot: item, vars: [...inner.vars, new Map()], certain };
          const names = node.pipe.declare;
          names.forEach((name, i) => bodyScope.vars[bodyScope.vars.length - 1].set(name, names.length > 1 && i === 0 ? literal(index) : item));
          const signal = this.nodes(node.body, bodyScope);
          if (signal === "break" && certain) break;
          if (!bodyScope.certain) certain = false;
        }
        this.print(UNKNOWN);
        if (count !== true) this.nodes(node.orElse, { ...scope, vars: [...scope.vars, new Map()], certain: scope.certain && count === false });
        return undefined;
      }
    }
  }

  /** Walks a helper with its argument as dot; returns its output, carrying what it read. */
  include(name: string, arg: Value): Value {
    const body = this.defines.get(name);
    if (!body) return none;
    const signature = `${name}|${arg.root}|${arg.paths.map(key).join(",")}|${(arg.items ?? []).map((i) => i.paths.map(key).join("+") + (i.root ? "R" : "")).join(";")}|${typeof arg.concrete === "string" ? arg.concrete : ""}`;
    const done = this.helperReads.get(signature);
    if (done) return { ...none, concrete: this.helperOutput.get(signature) ?? UNKNOWN, deferred: [...done, ...(arg.deferred ?? [])] };
    if (this.analysed.has(signature) || this.depth > 40) return none;
    this.analysed.add(signature);
    this.depth++;
    this.trail.push(name);
    this.collecting.push([]);
    this.output.push([]);
    this.nodes(body, { dot: arg, root: arg, vars: [new Map()], certain: true });
    const printed = this.output.pop();
    const text = printed === UNKNOWN || printed === undefined ? UNKNOWN : printed.join("");
    this.helperOutput.set(signature, text);
    const collected = this.collecting.pop() ?? [];
    this.trail.pop();
    this.depth--;
    this.helperReads.set(signature, collected);
    return { ...none, concrete: text, deferred: [...collected, ...(arg.deferred ?? [])] };
  }

  tpl(text: string, context: Value, certain: boolean): Value {
    this.trail.push("tpl");
    this.output.push([]);
    this.nodes(parseTemplate(text, "tpl").nodes, { dot: context, root: context, vars: [new Map()], certain });
    const printed = this.output.pop();
    this.trail.pop();
    return literal(printed === UNKNOWN || printed === undefined ? UNKNOWN : printed.join(""));
  }

  private variable(name: string, scope: Scope): Value {
    for (let i = scope.vars.length - 1; i >= 0; i--) {
      const found = scope.vars[i].get(name);
      if (found) return found;
    }
    return none;
  }

  private pipeline(pipe: Pipeline, scope: Scope): Value {
    let result: Value | undefined;
    for (const command of pipe.commands) result = this.command(command, result, scope);
    const value = result ?? none;
    pipe.declare.forEach((name, i) => {
      if (pipe.declare.length > 1 && i === 0) return;
      if (pipe.assign) {
        const frame = [...scope.vars].reverse().find((env) => env.has(name)) ?? scope.vars[scope.vars.length - 1];
        const before = frame.get(name) ?? none;
        frame.set(name, scope.certain ? value : union([before, value]));
      } else scope.vars[scope.vars.length - 1].set(name, value);
    });
    return value;
  }

  field(base: Value, names: readonly string[]): Value {
    let v = base;
    for (const name of names) {
      if (v.root) {
        const extra = typeof v.concrete === "object" && v.concrete !== null ? (v.concrete as Record<string, unknown>)[name] : undefined;
        v = name === "Values" ? { paths: [[]], root: false, concrete: this.values } : extra === undefined ? none : literal(extra);
        continue;
      }
      const concrete = v.concrete === UNKNOWN ? UNKNOWN : lookup(v.concrete, [name]);
      v = { paths: v.paths.map((p) => [...p, name]), root: false, concrete, deferred: v.deferred };
    }
    return v;
  }

  private expr(e: Expr, scope: Scope): Value {
    switch (e.kind) {
      case "string":
      case "number":
      case "bool":
        return literal(e.value);
      case "nil":
        return literal(null);
      case "pipe":
        return this.pipeline(e.pipe, scope);
      case "call":
        return callFunction(this, e.name, e.args.map((a) => this.expr(a, scope)), scope.certain);
      case "field": {
        // Charts redeclare `$` (`$ := last .`); the declared one wins.
        const redeclared = e.base === "root" ? this.variable("$", scope) : none;
        const base = e.base === "dot" ? scope.dot : e.base === "root" ? (redeclared === none ? scope.root : redeclared) : this.variable(e.base.variable, scope);
        return this.field(base, e.names);
      }
    }
  }

  private command(command: readonly Expr[], piped: Value | undefined, scope: Scope): Value {
    const [head, ...rest] = command;
    if (!head) return piped ?? none;
    const args = [...rest.map((a) => this.expr(a, scope)), ...(piped ? [piped] : [])];
    if (head.kind === "call" && head.args.length === 0) return callFunction(this, head.name, args, scope.certain);
    if (head.kind === "field" && head.names.join(".") === "Files.Get" && typeof args[0]?.concrete === "string") {
      const read = this.files(args[0].concrete);
      if (read && !this.analysed.has(`file:${args[0].concrete}`)) {
        this.analysed.add(`file:${args[0].concrete}`);
        this.output.push([]);
        this.file(read, args[0].concrete);
        this.output.pop();
      }
      return none;
    }
    const value = this.expr(head, scope);
    // A method call on a field (`.Capabilities.APIVersions.Has "x"`) or a stray argument.
    if (args.length > 0) {
      for (const a of args) this.read(a, false);
      return none;
    }
    return value;
  }
}

import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, it } from "node:test";
import ts from "typescript";

// The folder map in docs/architecture.md, enforced: imports run down the ranks, every file is in a
// folder of the map, and no circle exists anywhere. Imports are read by the TypeScript compiler's
// own pre-processor, so type-only imports, re-exports and import() count like any other.

const ROOT = resolve(__dirname, "../..");
const SKIP = new Set(["node_modules", ".git", "cdktf.out", "dist", ".gen", ".work"]);

interface Layer {
  readonly rank: number;
  readonly prefixes: readonly string[];
}

/** The table of docs/architecture.md: rank, then the folders (or files) in backticks. */
export function layersOf(markdown: string): Layer[] {
  return [...markdown.matchAll(/^\| (\d+) \| ([^|]+) \|/gm)].map((row) => ({
    rank: Number(row[1]),
    prefixes: [...row[2].matchAll(/`([^`]+)`/g)].map((name) => name[1]),
  }));
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (SKIP.has(name)) return [];
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.ts$/.test(name) && !name.endsWith(".d.ts") ? [relative(ROOT, path)] : [];
  });
}

function resolveImport(from: string, spec: string): string | undefined {
  const base = resolve(ROOT, dirname(from), spec);
  for (const candidate of [base, `${base}.ts`, join(base, "index.ts")]) {
    if (candidate.endsWith(".ts") && existsSync(candidate)) return relative(ROOT, candidate);
  }
  return undefined;
}

function importsOf(file: string): string[] {
  const info = ts.preProcessFile(readFileSync(join(ROOT, file), "utf8"), true, true);
  return info.importedFiles
    .map((ref) => ref.fileName)
    .filter((spec) => spec.startsWith("."))
    .flatMap((spec) => resolveImport(file, spec) ?? []);
}

/** The layer a file belongs to: the longest matching folder or file name of the map. */
function layerOf(layers: readonly Layer[], file: string): { rank: number; prefix: string } | undefined {
  let found: { rank: number; prefix: string } | undefined;
  for (const layer of layers) {
    for (const prefix of layer.prefixes) {
      const matches = prefix.endsWith("/") ? file.startsWith(prefix) : file === prefix;
      if (matches && (!found || prefix.length > found.prefix.length)) found = { rank: layer.rank, prefix };
    }
  }
  return found;
}

/** Strongly connected components of more than one file (Tarjan), or a file importing itself. */
export function circles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, counter);
    low.set(node, counter);
    counter += 1;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node) ?? 0, low.get(next) ?? 0));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node) ?? 0, index.get(next) ?? 0));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string | undefined;
      do {
        member = stack.pop();
        if (member === undefined) break;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1 || (graph.get(node) ?? []).includes(node)) found.push(component.sort());
    }
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return found;
}

const layers = layersOf(readFileSync(join(ROOT, "docs", "architecture.md"), "utf8"));
const files = sources(ROOT);
const graph = new Map(files.map((file) => [file, importsOf(file)]));

describe("the folder map of docs/architecture.md", () => {
  it("has ranks, and every source file is in one of its folders", () => {
    assert.ok(layers.length >= 10, `docs/architecture.md lists ${layers.length} ranks`);
    assert.deepEqual(files.filter((file) => !layerOf(layers, file)), [], "files in no folder of the map: add the folder to docs/architecture.md");
  });

  it("no import climbs to a higher rank or crosses to another folder of the same rank", () => {
    // The top rank (scripts, tests, examples) may use each other: nothing of the product imports them.
    const top = Math.max(...layers.map((layer) => layer.rank));
    const climbing = [...graph].flatMap(([file, targets]) => {
      const from = layerOf(layers, file);
      return targets.flatMap((target) => {
        const to = layerOf(layers, target);
        if (!from || !to || from.prefix === to.prefix || to.rank < from.rank || (from.rank === top && to.rank === top)) return [];
        return [`${file} (rank ${from.rank}, ${from.prefix}) imports ${target} (rank ${to.rank}, ${to.prefix})`];
      });
    });
    assert.deepEqual(climbing, []);
  });

  it("no circle anywhere, between folders or inside one", () => {
    assert.deepEqual(circles(graph), []);
  });
});

describe("the checks themselves", () => {
  it("find a circle and read a rank table", () => {
    const graphWithCircle = new Map([["a.ts", ["b.ts"]], ["b.ts", ["c.ts"]], ["c.ts", ["a.ts"]], ["d.ts", ["a.ts"]]]);
    assert.deepEqual(circles(graphWithCircle), [["a.ts", "b.ts", "c.ts"]]);
    assert.deepEqual(layersOf("| 1 | `lib/` | x |\n| 2 | `a/`, `b.ts` | y |"), [
      { rank: 1, prefixes: ["lib/"] },
      { rank: 2, prefixes: ["a/", "b.ts"] },
    ]);
  });
});

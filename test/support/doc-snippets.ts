// The TypeScript a user copies from README.md and the docs pages, extracted and made compilable
// where it stands: an environment file (imports "./base"), an app (imports "airflow-platform"), or
// a fragment of an environment file (`airflow: { … },`), which is wrapped in an overrides object.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { documentationPages, projectRoot } from "./docs";

export type SnippetKind = "environment" | "app" | "fragment";

export interface Snippet {
  /** page:line of the block's opening fence. */
  readonly where: string;
  readonly kind: SnippetKind;
  /** The block as the page shows it, list indentation removed. */
  readonly text: string;
  /** A module that compiles against this project (imports resolved to its sources). */
  readonly module: string;
}

function dedent(text: string): string {
  const lines = text.split("\n");
  const indent = Math.min(...lines.filter((l) => l.trim().length > 0).map((l) => /^ */.exec(l)?.[0].length ?? 0));
  return lines.map((l) => l.slice(indent)).join("\n");
}

function moduleFor(kind: SnippetKind, text: string, root: string): string {
  if (kind === "fragment") {
    return `import type { EnvironmentOverrides } from ${JSON.stringify(join(root, "configuration/schema/merge"))};\nexport const fragment: EnvironmentOverrides = {\n${text}\n};\n`;
  }
  return text
    .replace(/from "\.\/([\w-]+)"/g, (_, file: string) => `from ${JSON.stringify(join(root, "environments", file))}`)
    // An environment file sits in environments/: `../x` is a folder beside it.
    .replace(/from "\.\.\/([\w/-]+)"/g, (_, file: string) => `from ${JSON.stringify(join(root, file))}`)
    .replace(/from "airflow-platform"/g, `from ${JSON.stringify(join(root, "index"))}`);
}

export function docSnippets(root = projectRoot): Snippet[] {
  return documentationPages(root).flatMap((page) => {
    const text = readFileSync(join(root, page), "utf8");
    return [...text.matchAll(/^([ \t]*)```(?:ts|typescript)\n([\s\S]*?)^[ \t]*```/gm)].map((m) => {
      const body = dedent(m[2]).trimEnd();
      const kind: SnippetKind = /from "airflow-platform"/.test(body) ? "app" : /from "\.\//.test(body) ? "environment" : "fragment";
      return { where: `${page}:${text.slice(0, m.index).split("\n").length}`, kind, text: `${body}\n`, module: moduleFor(kind, body, root) };
    });
  });
}

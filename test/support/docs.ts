// The documentation a user reads: README.md and every hand-written page under docs/ (the generated
// configuration reference excluded). Tests that hold a figure or an output shown in the docs read
// it from here, so a section moving between pages does not break them.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";

export const projectRoot = join(__dirname, "..", "..");

/** Paths (relative to the project) of README.md and the hand-written docs pages, README first. */
export function documentationPages(root = projectRoot): string[] {
  const pages = readdirSync(join(root, "docs"))
    .filter((name) => name.endsWith(".md") && name !== "configuration.md")
    .sort()
    .map((name) => `docs/${name}`);
  return ["README.md", ...pages];
}

/** README.md and the docs pages, concatenated in documentationPages' order. */
export function documentationText(root = projectRoot): string {
  return documentationPages(root).map((page) => readFileSync(join(root, page), "utf8")).join("\n");
}

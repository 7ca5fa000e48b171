import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { describe, it } from "node:test";

// Data flows one way: environment → validated config → derived values → stacks → JSON. A folder
// may import only the layers below it; an import that runs back up is a failure naming the file.

const ROOT = resolve(__dirname, "../..");

/** What each folder may not import, with why. */
const FORBIDDEN: Readonly<Record<string, readonly string[]>> = {
  constructs: ["environments", "stacks", "policies", "cli", "scripts", "test"],
  environments: ["stacks", "policies", "cli", "scripts", "test"],
  policies: ["stacks", "cli", "scripts", "test"],
  stacks: ["policies", "cli", "scripts", "test"],
  // The shipped command: everything below it, nothing of the repository's own scripts or tests.
  cli: ["scripts", "test"],
};

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return path.endsWith(".ts") ? [path] : [];
  });
}

function importedFolders(file: string): string[] {
  const text = readFileSync(file, "utf8");
  return [...text.matchAll(/from\s+"(\.{1,2}\/[^"]+)"/g)].map((m) => relative(ROOT, resolve(file, "..", m[1])).split("/")[0]);
}

describe("imports run one way", () => {
  for (const [folder, forbidden] of Object.entries(FORBIDDEN)) {
    it(`${folder}/ imports none of ${forbidden.join(", ")}`, () => {
      const offending = sources(join(ROOT, folder)).flatMap((file) =>
        importedFolders(file)
          .filter((target) => forbidden.includes(target))
          .map((target) => `${relative(ROOT, file)} imports ${target}/`),
      );
      assert.deepEqual(offending, []);
    });
  }
});

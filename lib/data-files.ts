import { existsSync } from "node:fs";
import { dirname, join } from "node:path";

// Upstream data ships with the package (data/), beside the compiled code (dist/) or the sources.
// Found by walking up from this file, so the same code works from a checkout, from dist/ and
// from an installed package.

let root: string | undefined;

function packageRoot(): string {
  if (root) return root;
  let dir = __dirname;
  while (!existsSync(join(dir, "data", "README.md"))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`airflow-platform: no data/ directory above ${__dirname}`);
    dir = parent;
  }
  root = dir;
  return root;
}

/** Absolute path of a file under the package's data/ directory. */
export function dataFile(...segments: string[]): string {
  return join(packageRoot(), "data", ...segments);
}

/** Absolute path of a file the package ships outside data/, e.g. `packageFile("python", "airflow.lock")`. */
export function packageFile(...segments: string[]): string {
  return join(packageRoot(), ...segments);
}

/** Absolute path of the package's own package.json. */
export function packageManifest(): string {
  return join(packageRoot(), "package.json");
}

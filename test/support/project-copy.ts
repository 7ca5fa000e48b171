// A temporary copy of this project (its sources, data, docs and workflow; node_modules linked, not
// copied), for tests that change what a team would change and run the project's own commands and
// tests in the copy.
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { cpSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { projectRoot } from "./docs";
import { tempDir } from "./temp";

const LEFT_OUT = new Set(["node_modules", ".git", "cdktf.out", "dist", "terraform-state"]);

export interface ProjectCopy {
  readonly root: string;
  /** Rewrites a file of the copy; `change` must change it (a no-op edit means the test tests nothing). */
  readonly edit: (file: string, change: (text: string) => string) => void;
  readonly write: (file: string, text: string) => void;
  /** Runs node with tsx in the copy. */
  readonly node: (...args: string[]) => SpawnSyncReturns<string>;
}

/** This process's environment but for Node's marker of a test runner's child, so a nested `--test` reports on its own stdout. */
function childEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.NODE_TEST_CONTEXT;
  return env;
}

export function copyProject(prefix: string): ProjectCopy {
  const root = join(tempDir(prefix), "project");
  cpSync(projectRoot, root, { recursive: true, filter: (source) => !LEFT_OUT.has(relative(projectRoot, source).split("/")[0]) });
  symlinkSync(join(projectRoot, "node_modules"), join(root, "node_modules"));
  return {
    root,
    edit: (file, change) => {
      const before = readFileSync(join(root, file), "utf8");
      const after = change(before);
      if (after === before) throw new Error(`the edit of ${file} changed nothing`);
      writeFileSync(join(root, file), after);
    },
    write: (file, text) => writeFileSync(join(root, file), text),
    node: (...args) => spawnSync(process.execPath, ["--import", "tsx", ...args], { cwd: root, encoding: "utf8", maxBuffer: 64 * 1024 * 1024, env: childEnv() }),
  };
}

import { existsSync } from "node:fs";
import { join } from "node:path";

// The Python tools the tests run, from the venvs `node scripts/install-python.js` makes from the
// committed locks in python/ (see python/README.md).

const VENVS = join(__dirname, "..", "..", "node_modules", ".cache", "airflow-platform", "venvs");

/** The venvs the locks in python/ make. */
export type PythonVenv = "airflow" | "tools";

/** A program in one of the project's venvs, or a failure that says how to install it. */
export function venvProgram(venv: PythonVenv, program: string): string {
  const path = join(VENVS, venv, "bin", program);
  if (!existsSync(path)) {
    throw new Error(`${program} is not installed in the ${venv} venv (${path}): run \`npm run install-python\` (node scripts/install-python.js ${venv})`);
  }
  return path;
}

/** The Python interpreter of a venv. */
export function venvPython(venv: PythonVenv): string {
  return venvProgram(venv, "python");
}


import { readFileSync } from "node:fs";
import { packageFile } from "../../lib/data-files";

/**
 * The one place the Airflow image's Python packages are decided: `python/airflow.in` lists
 * Airflow and the providers the platform relies on, each pinned, and `python/airflow.lock` is
 * what `npm run lock-python` resolved from it (every package, with hashes), which the tests'
 * Airflow venv installs. The image's Dockerfile (airflow-image.ts) is made from both, so the
 * image runs the versions the tests ran. Both files ship with the package.
 */
export interface AirflowPythonPins {
  /** pip requirements as airflow.in writes them: `name[extras]==version`. */
  readonly requirements: readonly string[];
  /** `name==version` of every package in airflow.lock, in its order. */
  readonly lockedVersions: readonly string[];
}

/** PEP 503's normalised name: case and runs of `-_.` do not matter. */
export function normalisedName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, "-");
}

/** The requirement lines of a `.in` file; a line without an exact `==` pin is refused. */
export function pinnedRequirements(text: string, file: string): string[] {
  const lines = text.split("\n").map((l) => l.replace(/#.*/, "").trim()).filter((l) => l !== "");
  const unpinned = lines.filter((l) => !/^[A-Za-z0-9][A-Za-z0-9._-]*(\[[A-Za-z0-9,._-]+\])?==[A-Za-z0-9.+!-]+$/.test(l));
  if (unpinned.length > 0) throw new Error(`${file}: every requirement must be pinned as name[extras]==version; not: ${unpinned.join(", ")}`);
  return lines;
}

/** `name==version` of each package a uv/pip-compile lock with hashes pins. */
export function lockedVersions(text: string): string[] {
  return [...text.matchAll(/^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s\\;]+)/gm)].map((m) => `${m[1]}==${m[2]}`);
}

/** Requirements whose pin is not the lock's version (the lock is stale: run `npm run lock-python`). */
export function pinsOffLock(requirements: readonly string[], locked: readonly string[]): string[] {
  const versions = new Map(locked.map((l) => [normalisedName(l.split("==")[0]), l.split("==")[1]]));
  return requirements.flatMap((r) => {
    const [spec, version] = r.split("==");
    const name = normalisedName(spec.replace(/\[.*\]/, ""));
    const inLock = versions.get(name);
    return inLock === version ? [] : [`${r} (airflow.lock: ${inLock === undefined ? "absent" : `${name}==${inLock}`})`];
  });
}

let pins: AirflowPythonPins | undefined;

/** The pins in the package's python/airflow.in and python/airflow.lock, read once; stale pins are refused. */
export function airflowPythonPins(): AirflowPythonPins {
  if (pins) return pins;
  const inFile = packageFile("python", "airflow.in");
  const requirements = pinnedRequirements(readFileSync(inFile, "utf8"), inFile);
  const locked = lockedVersions(readFileSync(packageFile("python", "airflow.lock"), "utf8"));
  const off = pinsOffLock(requirements, locked);
  if (off.length > 0) throw new Error(`${inFile} and python/airflow.lock disagree: ${off.join("; ")}: run \`npm run lock-python\` and commit both`);
  pins = { requirements, lockedVersions: locked };
  return pins;
}

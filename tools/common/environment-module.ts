import { existsSync } from "node:fs";
import { isAbsolute, join, resolve } from "node:path";
import { ConfigError } from "../../lib/config-error";
import type { EnvironmentModule } from "./command-io";

/** Where a project's environments module is looked for when --environments is not given. */
export const DEFAULT_ENVIRONMENT_MODULES = ["environments.ts", "environments.js", "environments/index.ts", "environments/index.js"];

function problem(field: string, given: string, allowed: string): ConfigError {
  return new ConfigError([{ environment: "(app)", constructPath: "(app)", field, given, allowed }]);
}

/**
 * The consumer's environments: a module exporting `environments`, a record of name → environment
 * (the inputs mergeEnvironment builds). TypeScript modules load through tsx, which the project
 * must have installed (as cdktf's TypeScript template does).
 */
export function loadEnvironmentModule(path: string | undefined, cwd: string = process.cwd()): EnvironmentModule {
  const file = path === undefined ? DEFAULT_ENVIRONMENT_MODULES.map((f) => join(cwd, f)).find((f) => existsSync(f)) : isAbsolute(path) ? path : resolve(cwd, path);
  if (file === undefined || !existsSync(file)) {
    throw problem("--environments", path ?? "(none)", `a module exporting \`environments\` (name → environment); looked for ${path ?? DEFAULT_ENVIRONMENT_MODULES.join(", ")} in ${cwd}`);
  }
  if (/\.[cm]?ts$/.test(file)) registerTypeScript(cwd);
  const loaded = require(file) as { environments?: unknown; default?: { environments?: unknown } };
  const environments = loaded.environments ?? loaded.default?.environments;
  if (typeof environments !== "object" || environments === null || Array.isArray(environments)) {
    throw problem("--environments", file, "a module whose `environments` export is an object of name → environment, e.g. export const environments = { stage, live }");
  }
  return environments as EnvironmentModule;
}

function registerTypeScript(cwd: string): void {
  let api: string;
  try {
    api = require.resolve("tsx/cjs/api", { paths: [cwd, __dirname] });
  } catch {
    throw problem("--environments", "a TypeScript module", "tsx installed in the project (npm install --save-dev tsx) to load TypeScript, or a .js module");
  }
  (require(api) as { register: () => unknown }).register();
}

/** The environments a comma-separated selection names (all when empty); an unknown name is an error. */
export function selectFrom(environments: EnvironmentModule, selection: string | undefined, field = "environments"): unknown[] {
  const names = (selection ?? "").split(",").map((n) => n.trim()).filter((n) => n.length > 0);
  const chosen = names.length > 0 ? names : Object.keys(environments);
  const unknown = chosen.filter((name) => !(name in environments));
  if (unknown.length > 0) {
    throw new ConfigError(unknown.map((name) => ({ environment: name, constructPath: "(app)", field, given: JSON.stringify(name), allowed: `one of ${Object.keys(environments).join(", ")}` })));
  }
  return chosen.map((name) => environments[name]);
}

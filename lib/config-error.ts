/** One thing wrong with an environment's configuration, located twice: in the file and in the tree. */
export interface ConfigProblem {
  /** The environment the problem is in, e.g. `prod`. */
  readonly environment: string;
  /** The construct the field configures, e.g. `prod-infrastructure/node-groups/tasks`. */
  readonly constructPath: string;
  /** The field in the environment file, dotted, e.g. `nodeGroups.tasks.minSize`. */
  readonly field: string;
  /** What the file gave, rendered for a human. */
  readonly given: string;
  /** What would be right. */
  readonly allowed: string;
}

/**
 * Every problem found in the environments being loaded, reported together so a user can fix a
 * file in one pass. Thrown before any construct exists, so nothing is synthesized.
 */
export class ConfigError extends Error {
  readonly problems: readonly ConfigProblem[];

  constructor(problems: readonly ConfigProblem[]) {
    super(formatProblems(problems));
    this.name = "ConfigError";
    this.problems = problems;
  }
}

export function renderValue(value: unknown): string {
  if (value === undefined) return "nothing";
  if (typeof value === "string") return JSON.stringify(value);
  const json = JSON.stringify(value);
  return json.length > 80 ? `${json.slice(0, 77)}...` : json;
}

/** The value at a dotted path in a nested object, for showing what a file gave. */
export function valueAt(root: unknown, path: readonly (string | number)[]): unknown {
  let current: unknown = root;
  for (const key of path) {
    if (typeof current !== "object" || current === null) return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}

function formatProblems(problems: readonly ConfigProblem[]): string {
  const environments = [...new Set(problems.map((p) => p.environment))];
  const lines = problems.map(
    (p) =>
      `  - [${p.environment}] ${p.constructPath} › ${p.field}: given ${p.given}; ${p.allowed}`,
  );
  const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`;
  return `Invalid environment configuration (${environments.join(", ")}), ${count}:\n${lines.join("\n")}`;
}

import { fingerprint, isSecretField, secretLiteralsIn, secretSubstrings } from "./secret-scan";

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
    const redacted = problems.map(withoutSecrets);
    super(formatProblems(redacted));
    this.name = "ConfigError";
    this.problems = redacted;
  }
}

/**
 * The problem with every secret it would show replaced by its fingerprint (length and hash): a
 * string given for a secret-named field whole, and key formats or high-entropy runs anywhere in
 * what was given, also where the explanation repeats them. Errors end up in CI logs.
 */
export function withoutSecrets(problem: ConfigProblem): ConfigProblem {
  const secrets = new Set([...secretSubstrings(problem.given), ...secretLiteralsIn(parsedGiven(problem.given))]);
  const whole = isSecretField(problem.field.split(".")) ? givenString(problem.given) : undefined;
  if (whole) secrets.add(whole);
  if (secrets.size === 0) return problem;
  const longestFirst = [...secrets].sort((a, b) => b.length - a.length);
  const hide = (text: string) => longestFirst.reduce((out, secret) => out.split(secret).join(fingerprint(secret)), text);
  return { ...problem, given: whole ? fingerprint(whole) : hide(problem.given), allowed: hide(problem.allowed) };
}

/** A problem's `given` as the value it renders (renderValue writes JSON), or nothing. */
function parsedGiven(given: string): unknown {
  try {
    return JSON.parse(given);
  } catch {
    return undefined;
  }
}

/** The string a problem's `given` renders (renderValue quotes strings as JSON), if it is one. */
function givenString(given: string): string | undefined {
  try {
    const value: unknown = JSON.parse(given);
    return typeof value === "string" && value.length > 0 && !value.startsWith("‹secret:") ? value : undefined;
  } catch {
    return undefined;
  }
}

export function renderValue(value: unknown): string {
  if (value === undefined) return "nothing";
  // A fingerprint (policies/secret-scan.ts) stands for a secret: shown as it is, not as a string given.
  if (typeof value === "string") return value.startsWith("‹secret:") ? value : JSON.stringify(value);
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

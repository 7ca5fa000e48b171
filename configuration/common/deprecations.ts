import { compareVersions, PACKAGE_VERSION } from "../../lib/package-version";

// Fields a release removed or renamed stay accepted for one more minor version: ignored (or moved
// to their replacement), each with a warning that names the replacement and the release that will
// refuse it. From that release on, the field is refused with the same replacement named (a plain
// "unknown field" would not say what to set instead). The list is the one place a removal is
// declared (docs/upgrading.md prints it).

export interface DeprecatedField {
  /** Where the field was, e.g. ["airflow", "pgbouncer", "resultBackendPoolSize"]. */
  readonly path: readonly string[];
  /** The release that deprecated it, and the one that will refuse it. */
  readonly since: string;
  readonly refusedFrom: string;
  /** What to set instead, and why. */
  readonly replacement: string;
  /** Where its value goes now, for a rename; undefined when it is dropped. */
  readonly movedTo?: readonly string[];
}

export const DEPRECATED_FIELDS: readonly DeprecatedField[] = [
  {
    path: ["airflow", "pgbouncer", "resultBackendPoolSize"],
    since: "0.2.0",
    refusedFrom: "0.3.0",
    replacement: "airflow.pgbouncer.metadataPoolSize: Airflow 3 keeps task results in the metadata database, so one PgBouncer pool serves both; size that one",
  },
];

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function has(input: unknown, path: readonly string[]): boolean {
  let at: unknown = input;
  for (const key of path) {
    if (!isRecord(at) || !(key in at)) return false;
    at = at[key];
  }
  return true;
}

function valueAt(input: unknown, path: readonly string[]): unknown {
  return path.reduce<unknown>((at, key) => (isRecord(at) ? at[key] : undefined), input);
}

/** A copy of `input` without the field at `path` (only the records on the path are copied). */
function without(input: unknown, path: readonly string[]): unknown {
  if (!isRecord(input) || path.length === 0) return input;
  const [key, ...rest] = path;
  const copy: Json = { ...input };
  if (rest.length === 0) delete copy[key];
  else copy[key] = without(input[key], rest);
  return copy;
}

/** A copy of `input` with `value` at `path`, unless the environment sets that path itself. */
function withValue(input: unknown, path: readonly string[], value: unknown): unknown {
  if (!isRecord(input) || path.length === 0) return input;
  const [key, ...rest] = path;
  if (rest.length === 0) return key in input ? input : { ...input, [key]: value };
  return { ...input, [key]: withValue(isRecord(input[key]) ? input[key] : {}, rest, value) };
}

/** A field a release refuses now: where it was, and what to set instead. */
export interface RemovedFieldUse {
  readonly path: readonly string[];
  readonly given: string;
  readonly allowed: string;
}

/**
 * The environment input with every deprecated field taken out (its value moved for a rename), one
 * warning per field still in its grace release, and one refusal per field whose grace has ended in
 * `version` (this package's by default). The value itself is never quoted: a field may have held a
 * secret.
 */
export function withoutDeprecatedFields(
  input: unknown,
  version: string = PACKAGE_VERSION,
): { readonly input: unknown; readonly warnings: readonly string[]; readonly removed: readonly RemovedFieldUse[] } {
  const name = isRecord(input) && typeof input.name === "string" ? input.name : "(unnamed)";
  let current = input;
  const warnings: string[] = [];
  const removed: RemovedFieldUse[] = [];
  for (const field of DEPRECATED_FIELDS) {
    if (!has(current, field.path)) continue;
    const value = valueAt(current, field.path);
    current = without(current, field.path);
    if (compareVersions(version, field.refusedFrom) >= 0) {
      removed.push({
        path: field.path,
        given: `a value for a field removed in ${field.refusedFrom} (deprecated since ${field.since})`,
        allowed: `no such field: remove it. Use ${field.replacement}`,
      });
      continue;
    }
    if (field.movedTo) current = withValue(current, field.movedTo, value);
    warnings.push(
      `[${name}] ${field.path.join(".")} is deprecated since ${field.since} and ${field.movedTo ? `moved to ${field.movedTo.join(".")}` : "ignored"}; ` +
        `${field.refusedFrom} will refuse it. Use ${field.replacement}.`,
    );
  }
  return { input: current, warnings, removed };
}

/**
 * The deprecated fields in an environment file's type, so a file written for the release before
 * still compiles (editors strike them through) while DEPRECATED_FIELDS accepts them with a warning,
 * or, once refused, refuses them naming the replacement.
 */
export interface DeprecatedOverrides {
  readonly airflow?: {
    readonly pgbouncer?: {
      /**
       * @deprecated since 0.2.0, refused from 0.3.0: size airflow.pgbouncer.metadataPoolSize (one pool
       * serves results too). Still in the type so that validation's message, which names the
       * replacement, is what a file written for 0.2.0 meets.
       */
      readonly resultBackendPoolSize?: number;
    };
  };
}

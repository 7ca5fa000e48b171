import type { ErrorObject, ValidateFunction } from "ajv";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { renderValue, valueAt, type ConfigProblem } from "../../lib/config-error";
import { dataFile } from "../../lib/data-files";
import { chartGuaranteeProblems } from "./values-guarantees";

// The official chart's values.schema.json (data/airflow-chart, chart 1.19.0). Compiling its
// 700 kB takes ~0.7 s, more than the rest of a synth, so the compiled validator is cached as
// standalone code under node_modules/.cache, keyed by the schema's hash, ajv's version and the
// top-level keys being validated; loading it takes ~0.08 s. Values that passed are remembered by
// their hash (with the schema's), so an unchanged environment is not validated again on every
// synth. Deleting the cache is always safe. Only the sections the values use are compiled (the
// rest are never read), and ajv itself is loaded only to compile.

const SCHEMA_PATH = dataFile("airflow-chart", "values.schema.json");
const AJV_PACKAGE = require.resolve("ajv/package.json");
const CACHE_DIR = join(dirname(AJV_PACKAGE), "..", ".cache", "airflow-platform");

/** Part of every cache key: bump it whenever narrowedSchema() or compile() changes. */
const VALIDATOR_REVISION = "2";

const loaded = new Map<string, ValidateFunction>();
let schemaState: { readonly text: string; readonly key: string } | undefined;

/** The schema's text and a key naming this schema with this ajv, read once per process. */
function schema(): { readonly text: string; readonly key: string } {
  if (!schemaState) {
    const text = readFileSync(SCHEMA_PATH, "utf8");
    const ajvVersion = (JSON.parse(readFileSync(AJV_PACKAGE, "utf8")) as { version: string }).version;
    schemaState = { text, key: createHash("sha256").update(text).update(ajvVersion).update(VALIDATOR_REVISION).digest("hex") };
  }
  return schemaState;
}

function writeAtomically(file: string, contents: string): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
    const partial = `${file}.${process.pid}.tmp`;
    writeFileSync(partial, contents);
    renameSync(partial, file);
  } catch {
    // A read-only install still validates, only without the cache.
  }
}

/**
 * The chart's schema narrowed to the top-level sections present. The chart leaves its top level
 * open, so a misspelt top-level key would pass silently: `propertyNames` closes it to the keys
 * the chart defines. Nested objects already reject unknown keys.
 */
function narrowedSchema(schema: { properties: Record<string, unknown> }, keys: readonly string[]): Record<string, unknown> {
  const known = Object.keys(schema.properties);
  const properties = Object.fromEntries(keys.filter((k) => known.includes(k)).map((k) => [k, schema.properties[k]]));
  return { ...schema, $id: "airflow-chart-values", properties, propertyNames: { enum: known } };
}

function compile(schema: Record<string, unknown>): { validate: ValidateFunction; code: string } {
  const { default: Ajv } = require("ajv") as typeof import("ajv");
  const { default: standaloneCode } = require("ajv/dist/standalone") as typeof import("ajv/dist/standalone");
  const ajv = new Ajv({ allErrors: true, strict: false, formats: { "date-time": true, int32: true, int64: true }, code: { source: true } });
  const validate = ajv.compile(schema);
  return { validate, code: standaloneCode(ajv, validate) };
}

function validator(keys: readonly string[]): ValidateFunction {
  const sorted = [...keys].sort();
  const memo = loaded.get(sorted.join(","));
  if (memo) return memo;
  const { text, key: schemaKey } = schema();
  const key = createHash("sha256").update(schemaKey).update(sorted.join(",")).digest("hex").slice(0, 16);
  const cached = join(CACHE_DIR, `airflow-chart-values-${key}.js`);
  let validate: ValidateFunction;
  if (existsSync(cached)) {
    validate = require(cached) as ValidateFunction;
  } else {
    const compiled = compile(narrowedSchema(JSON.parse(text) as { properties: Record<string, unknown> }, sorted));
    validate = compiled.validate;
    writeAtomically(cached, compiled.code);
  }
  loaded.set(sorted.join(","), validate);
  return validate;
}

/** One schema violation: where in the values, and what the schema says. */
export interface ValuesViolation {
  readonly path: string;
  readonly message: string;
}

/** An ajv error as a values path and what the schema says there. */
export function describeSchemaError(error: ErrorObject): ValuesViolation {
  const path = error.instancePath === "" ? "(root)" : error.instancePath.slice(1).replace(/\//g, ".");
  if (error.keyword === "propertyNames" || error.keyword === "enum" && path === "(root)") {
    const name = String(error.propertyName ?? (error.params as { propertyName?: unknown }).propertyName ?? "");
    return { path: name, message: "is not a property the chart's schema defines at (root)" };
  }
  if (error.keyword === "additionalProperties") {
    const extra = String((error.params as { additionalProperty?: unknown }).additionalProperty);
    return { path: path === "(root)" ? extra : `${path}.${extra}`, message: `is not a property the chart's schema defines at ${path}` };
  }
  return { path, message: error.message ?? error.keyword };
}

/**
 * The values as Helm validates them: it merges them over the chart's defaults and deletes every
 * key whose value is null (how values remove a chart default, chart-default-config.ts) before
 * checking the schema, so the schema never sees a null.
 */
function withoutNulls(value: unknown): unknown {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null).map(([k, v]) => [k, withoutNulls(v)]));
}

/** Validates values against the chart's schema; returns every violation, none when valid. */
export function validateAirflowValues(given: unknown): ValuesViolation[] {
  const values = withoutNulls(given);
  const passed = join(CACHE_DIR, "passed", createHash("sha256").update(schema().key).update(JSON.stringify(values)).digest("hex").slice(0, 32));
  if (existsSync(passed)) return [];
  const keys = typeof values === "object" && values !== null && !Array.isArray(values) ? Object.keys(values) : [];
  const validate = validator(keys);
  if (validate(values)) {
    writeAtomically(passed, "");
    return [];
  }
  return schemaViolations(validate.errors);
}

/** A validator's errors as violations, each once: anyOf/oneOf branches repeat the same failure. */
export function schemaViolations(errors: readonly ErrorObject[] | null | undefined): ValuesViolation[] {
  const seen = new Set<string>();
  return (errors ?? []).map(describeSchemaError).filter((v) => {
    const key = `${v.path}:${v.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Schema violations, and broken guarantees (values-guarantees.ts), as configuration problems,
 * located at the construct that releases the chart.
 */
export function chartValueProblems(environment: string, constructPath: string, values: Record<string, unknown>): ConfigProblem[] {
  const schema = validateAirflowValues(values).map((v) => ({
    environment,
    constructPath,
    field: `airflow chart values: ${v.path}`,
    given: renderValue(valueAt(values, v.path.split("."))),
    allowed: v.message,
  }));
  return [...schema, ...chartGuaranteeProblems(environment, constructPath, values)];
}

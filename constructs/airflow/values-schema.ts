import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";
import { readFileSync } from "node:fs";
import { join } from "node:path";

// The official chart's values.schema.json (data/airflow-chart, chart 1.19.0). Compiled once per
// process, on first use, because compiling 700 kB of schema is the expensive part.

const SCHEMA_PATH = join(__dirname, "../../data/airflow-chart/values.schema.json");

let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  if (compiled) return compiled;
  const schema = JSON.parse(readFileSync(SCHEMA_PATH, "utf8")) as Record<string, unknown>;
  // The chart's schema leaves the top level open; a misspelt top-level key would pass silently,
  // so it is closed here. Nested objects already reject unknown keys.
  const closed = { ...schema, additionalProperties: false };
  const ajv = new Ajv({ allErrors: true, strict: false, formats: { "date-time": true, int32: true, int64: true } });
  compiled = ajv.compile(closed);
  return compiled;
}

/** One schema violation: where in the values, and what the schema says. */
export interface ValuesViolation {
  readonly path: string;
  readonly message: string;
}

function describe(error: ErrorObject): ValuesViolation {
  const path = error.instancePath === "" ? "(root)" : error.instancePath.slice(1).replace(/\//g, ".");
  if (error.keyword === "additionalProperties") {
    const extra = String((error.params as { additionalProperty?: unknown }).additionalProperty);
    return { path: path === "(root)" ? extra : `${path}.${extra}`, message: `is not a property the chart's schema defines at ${path}` };
  }
  return { path, message: error.message ?? error.keyword };
}

/** Validates values against the chart's schema; returns every violation, none when valid. */
export function validateAirflowValues(values: unknown): ValuesViolation[] {
  const validate = validator();
  if (validate(values)) return [];
  // anyOf/oneOf branches repeat the same failure several times; keep each once.
  const seen = new Set<string>();
  return (validate.errors ?? []).map(describe).filter((v) => {
    const key = `${v.path}:${v.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";
import standaloneCode from "ajv/dist/standalone";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { dataFile } from "../data-files";

// The official chart's values.schema.json (data/airflow-chart, chart 1.19.0). Compiling its
// 700 kB takes ~0.7 s, more than the rest of a synth, so the compiled validator is cached as
// standalone code under node_modules/.cache, keyed by the schema's hash and ajv's version;
// loading it takes ~0.1 s. Deleting the cache is always safe.

const SCHEMA_PATH = dataFile("airflow-chart", "values.schema.json");
const AJV_PACKAGE = require.resolve("ajv/package.json");
const CACHE_DIR = join(dirname(AJV_PACKAGE), "..", ".cache", "airflow-platform");

let loaded: ValidateFunction | undefined;

function compile(schemaText: string): Ajv {
  const schema = JSON.parse(schemaText) as Record<string, unknown>;
  // The chart's schema leaves the top level open; a misspelt top-level key would pass silently,
  // so it is closed here. Nested objects already reject unknown keys.
  const closed = { ...schema, $id: "airflow-chart-values", additionalProperties: false };
  const ajv = new Ajv({
    allErrors: true,
    strict: false,
    formats: { "date-time": true, int32: true, int64: true },
    code: { source: true },
  });
  ajv.addSchema(closed);
  return ajv;
}

function validator(): ValidateFunction {
  if (loaded) return loaded;
  const schemaText = readFileSync(SCHEMA_PATH, "utf8");
  const ajvVersion = (JSON.parse(readFileSync(AJV_PACKAGE, "utf8")) as { version: string }).version;
  const key = createHash("sha256").update(schemaText).update(ajvVersion).digest("hex").slice(0, 16);
  const cached = join(CACHE_DIR, `airflow-chart-values-${key}.js`);
  if (existsSync(cached)) {
    loaded = require(cached) as ValidateFunction;
    return loaded;
  }
  const ajv = compile(schemaText);
  const validate = ajv.getSchema("airflow-chart-values");
  if (!validate) throw new Error("values-schema: the chart schema did not compile");
  try {
    mkdirSync(CACHE_DIR, { recursive: true });
    const partial = `${cached}.${process.pid}.tmp`;
    writeFileSync(partial, standaloneCode(ajv, validate));
    renameSync(partial, cached);
  } catch {
    // A read-only install still validates, only without the cache.
  }
  loaded = validate;
  return loaded;
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

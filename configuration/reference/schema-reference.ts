import { z } from "zod";
import { unwrap } from "../common/schema-walk";

// The configuration reference and the JSON Schema, both generated from the zod schema: a new
// field shows up in both with a regeneration (`npm run reference`), described by its
// `.describe()` or by field-docs.ts.

type JsonSchema = Record<string, unknown>;

/** One field of the environment file, as the reference lists it. */
export interface FieldRow {
  readonly path: string;
  readonly type: string;
  readonly required: boolean;
  readonly defaultValue?: unknown;
  readonly hasDefault: boolean;
  readonly description?: string;
}

function checks(schema: z.ZodTypeAny): { kind: string; value?: unknown; inclusive?: boolean; regex?: RegExp }[] {
  return ((schema._def as { checks?: unknown[] }).checks ?? []) as { kind: string; value?: unknown; inclusive?: boolean; regex?: RegExp }[];
}

/** A short type for a table cell: `integer 1–60`, `"single" | "perZone"`, `string[]`. */
export function typeText(schema: z.ZodTypeAny): string {
  const { inner } = unwrap(schema);
  if (inner instanceof z.ZodString) {
    const pattern = checks(inner).find((c) => c.kind === "regex");
    return pattern ? "string (pattern)" : "string";
  }
  if (inner instanceof z.ZodNumber) {
    const all = checks(inner);
    // Chained bounds (positive().min(20)): the tightest one is what holds.
    const min = all.filter((c) => c.kind === "min").sort((a, b) => Number(b.value) - Number(a.value))[0];
    const max = all.filter((c) => c.kind === "max").sort((a, b) => Number(a.value) - Number(b.value))[0];
    const base = all.some((c) => c.kind === "int") ? "integer" : "number";
    if (min && max) return `${base} ${min.inclusive === false ? ">" : ""}${String(min.value)}–${String(max.value)}`;
    if (min) return `${base} ${min.inclusive === false ? ">" : "≥"} ${String(min.value)}`;
    if (max) return `${base} ≤ ${String(max.value)}`;
    return base;
  }
  if (inner instanceof z.ZodBoolean) return "boolean";
  if (inner instanceof z.ZodEnum) {
    const options = (inner.options as string[]).map((o) => JSON.stringify(o));
    return options.length > 8 ? `one of ${options.length}: ${options.slice(0, 4).join(" | ")} | … (JSON Schema lists all)` : options.join(" | ");
  }
  if (inner instanceof z.ZodLiteral) return JSON.stringify(inner.value);
  if (inner instanceof z.ZodArray) return `${typeText(inner.element)}[]`;
  if (inner instanceof z.ZodRecord) return "map";
  if (inner instanceof z.ZodObject) return "object";
  if (inner instanceof z.ZodDiscriminatedUnion) return `one of (by ${String(inner.discriminator)})`;
  if (inner instanceof z.ZodUnion) return (inner.options as z.ZodTypeAny[]).map(typeText).join(" | ");
  return "any";
}

/** Every field, depth first, in the schema's order; array items appear as `path[]`. */
export function fieldRows(schema: z.ZodTypeAny, prefix = ""): FieldRow[] {
  const { inner } = unwrap(schema);
  if (inner instanceof z.ZodObject) {
    return Object.entries(inner.shape as Record<string, z.ZodTypeAny>).flatMap(([key, field]) => {
      const path = prefix ? `${prefix}.${key}` : key;
      const { optional, hasDefault, defaultValue } = unwrap(field);
      const row: FieldRow = { path, type: typeText(field), required: !optional && !hasDefault, hasDefault, defaultValue, description: field.description ?? unwrap(field).inner.description };
      return [row, ...fieldRows(field, path)];
    });
  }
  if (inner instanceof z.ZodArray) return fieldRows(inner.element, `${prefix}[]`);
  if (inner instanceof z.ZodDiscriminatedUnion) {
    const seen = new Set<string>();
    return (inner.options as z.AnyZodObject[]).flatMap((option) => fieldRows(option, prefix)).filter((row) => !seen.has(row.path) && seen.add(row.path));
  }
  return [];
}

/** The JSON Schema (draft-07) of the same shape: what an editor checks a JSON or YAML environment against. */
export function jsonSchemaOf(schema: z.ZodTypeAny, describe: (path: string) => string | undefined = () => undefined, path = ""): JsonSchema {
  const { inner, hasDefault, defaultValue } = unwrap(schema);
  const description = schema.description ?? inner.description ?? describe(path);
  const base: JsonSchema = { ...(description ? { description } : {}), ...(hasDefault ? { default: defaultValue } : {}) };
  if (inner instanceof z.ZodString) {
    const all = checks(inner);
    const pattern = all.find((c) => c.kind === "regex")?.regex;
    const min = all.find((c) => c.kind === "min")?.value;
    return { ...base, type: "string", ...(pattern ? { pattern: pattern.source } : {}), ...(min !== undefined ? { minLength: min } : {}) };
  }
  if (inner instanceof z.ZodNumber) {
    const result: JsonSchema = { ...base, type: checks(inner).some((c) => c.kind === "int") ? "integer" : "number" };
    for (const c of checks(inner)) {
      if (c.kind === "min") result[c.inclusive === false ? "exclusiveMinimum" : "minimum"] = c.value;
      if (c.kind === "max") result[c.inclusive === false ? "exclusiveMaximum" : "maximum"] = c.value;
    }
    return result;
  }
  if (inner instanceof z.ZodBoolean) return { ...base, type: "boolean" };
  if (inner instanceof z.ZodEnum) return { ...base, enum: inner.options };
  if (inner instanceof z.ZodLiteral) return { ...base, const: inner.value };
  if (inner instanceof z.ZodArray) {
    const min = (inner._def as { minLength?: { value: number } }).minLength?.value;
    return { ...base, type: "array", items: jsonSchemaOf(inner.element, describe, `${path}[]`), ...(min !== undefined ? { minItems: min } : {}) };
  }
  if (inner instanceof z.ZodRecord) return { ...base, type: "object", additionalProperties: jsonSchemaOf(inner.valueSchema, describe, `${path}.*`) };
  if (inner instanceof z.ZodObject) {
    const shape = inner.shape as Record<string, z.ZodTypeAny>;
    const required = Object.entries(shape).filter(([, field]) => { const u = unwrap(field); return !u.optional && !u.hasDefault; }).map(([key]) => key);
    return {
      ...base,
      type: "object",
      properties: Object.fromEntries(Object.entries(shape).map(([key, field]) => [key, jsonSchemaOf(field, describe, path ? `${path}.${key}` : key)])),
      ...(required.length > 0 ? { required } : {}),
      additionalProperties: inner._def.unknownKeys === "strict" ? false : true,
    };
  }
  if (inner instanceof z.ZodDiscriminatedUnion || inner instanceof z.ZodUnion) {
    return { ...base, oneOf: (inner.options as z.ZodTypeAny[]).map((option) => jsonSchemaOf(option, describe, path)) };
  }
  return base;
}

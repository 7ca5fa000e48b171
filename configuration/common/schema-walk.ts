import { z } from "zod";

// Reading the zod schema itself: which fields an object defines (for "did you mean"), and the
// walk the configuration reference and the JSON Schema are generated from.

/** The schema under optional, default, nullable and refinement wrappers, with what they say. */
export function unwrap(schema: z.ZodTypeAny): { readonly inner: z.ZodTypeAny; readonly optional: boolean; readonly defaultValue?: unknown; readonly hasDefault: boolean } {
  let inner = schema;
  let optional = false;
  let hasDefault = false;
  let defaultValue: unknown;
  for (;;) {
    if (inner instanceof z.ZodOptional || inner instanceof z.ZodNullable) {
      optional = true;
      inner = inner.unwrap();
    } else if (inner instanceof z.ZodDefault) {
      hasDefault = true;
      defaultValue = inner._def.defaultValue();
      inner = inner._def.innerType;
    } else if (inner instanceof z.ZodEffects) {
      inner = inner.innerType();
    } else {
      return { inner, optional, hasDefault, defaultValue };
    }
  }
}

/** The object schemas a value at this path may be (several for a union), following the input. */
export function objectSchemasAt(schema: z.ZodTypeAny, path: readonly (string | number)[], input: unknown): z.AnyZodObject[] {
  const { inner } = unwrap(schema);
  if (path.length === 0) {
    if (inner instanceof z.ZodObject) return [inner];
    if (inner instanceof z.ZodDiscriminatedUnion || inner instanceof z.ZodUnion) {
      return (inner.options as z.ZodTypeAny[]).flatMap((option) => objectSchemasAt(option, [], input));
    }
    return [];
  }
  const [head, ...rest] = path;
  const child = typeof input === "object" && input !== null ? (input as Record<string | number, unknown>)[head] : undefined;
  if (inner instanceof z.ZodObject) {
    const field = (inner.shape as Record<string, z.ZodTypeAny>)[String(head)];
    return field ? objectSchemasAt(field, rest, child) : [];
  }
  if (inner instanceof z.ZodArray) return objectSchemasAt(inner.element, rest, child);
  if (inner instanceof z.ZodRecord) return objectSchemasAt(inner.valueSchema, rest, child);
  if (inner instanceof z.ZodDiscriminatedUnion) {
    const discriminator = inner.discriminator as string;
    const kind = typeof input === "object" && input !== null ? (input as Record<string, unknown>)[discriminator] : undefined;
    const options = (inner.options as z.AnyZodObject[]).filter((o) => unwrap(o.shape[discriminator]).inner instanceof z.ZodLiteral && (unwrap(o.shape[discriminator]).inner as z.ZodLiteral<unknown>).value === kind);
    return options.flatMap((option) => objectSchemasAt(option, path, input));
  }
  return [];
}

/** The field names an object at this path defines. */
export function fieldNamesAt(schema: z.ZodTypeAny, path: readonly (string | number)[], input: unknown): string[] {
  return [...new Set(objectSchemasAt(schema, path, input).flatMap((o) => Object.keys(o.shape)))];
}

/** A copy of a value without the keys its schema does not define, at every depth. */
export function dropUnknownKeys(schema: z.ZodTypeAny, value: unknown): unknown {
  const { inner } = unwrap(schema);
  if (Array.isArray(value)) return inner instanceof z.ZodArray ? value.map((item) => dropUnknownKeys(inner.element, item)) : value;
  if (typeof value !== "object" || value === null) return value;
  const record = value as Record<string, unknown>;
  if (inner instanceof z.ZodObject) {
    const shape = inner.shape as Record<string, z.ZodTypeAny>;
    return Object.fromEntries(Object.entries(record).filter(([key]) => key in shape).map(([key, item]) => [key, dropUnknownKeys(shape[key], item)]));
  }
  if (inner instanceof z.ZodRecord) {
    return Object.fromEntries(Object.entries(record).map(([key, item]) => [key, dropUnknownKeys(inner.valueSchema, item)]));
  }
  if (inner instanceof z.ZodDiscriminatedUnion) {
    const [option] = objectSchemasAt(inner, [], value).filter((o) => {
      const literal = unwrap(o.shape[inner.discriminator as string]).inner;
      return literal instanceof z.ZodLiteral && literal.value === record[inner.discriminator as string];
    });
    return option ? dropUnknownKeys(option, value) : value;
  }
  return value;
}

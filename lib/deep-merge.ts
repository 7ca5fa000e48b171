function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Objects merge key by key; arrays and scalars in the override replace what the base had. An
 * object whose `kind` differs from the base's is a different variant (an S3 state backend over a
 * local one) and replaces it whole, so no field of the old variant leaks into the new.
 */
export function deepMerge(base: unknown, override: unknown): unknown {
  if (override === undefined) return base;
  if (!isPlainObject(base) || !isPlainObject(override)) return override;
  if ("kind" in override && override.kind !== base.kind) return override;
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) {
    merged[key] = deepMerge(base[key], value);
  }
  return merged;
}

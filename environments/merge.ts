import type { EnvironmentInput } from "./schema";

/** An environment file's overrides: any field at any depth, arrays replaced whole. */
export type EnvironmentOverrides = DeepPartial<EnvironmentInput>;

export type DeepPartial<T> = T extends readonly unknown[]
  ? T
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> }
    : T;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Layers overrides on the shared base: objects merge key by key, arrays and scalars replace.
 * The result is not trusted: it goes through the schema like any hand-written environment.
 */
export function mergeEnvironment(base: EnvironmentOverrides, ...layers: EnvironmentOverrides[]): unknown {
  return layers.reduce<unknown>((acc, layer) => deepMerge(acc, layer), base);
}

function deepMerge(base: unknown, override: unknown): unknown {
  if (override === undefined) return base;
  if (!isPlainObject(base) || !isPlainObject(override)) return override;
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) {
    merged[key] = deepMerge(base[key], value);
  }
  return merged;
}

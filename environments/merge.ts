import { deepMerge } from "../constructs/deep-merge";
import type { EnvironmentInput } from "./schema";

/** An environment file's overrides: every field optional at every depth, arrays replaced whole. */
export type EnvironmentOverrides = DeepPartial<EnvironmentInput>;

export type DeepPartial<T> = T extends readonly unknown[]
  ? T
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> }
    : T;

/**
 * Layers overrides on the shared base: objects merge key by key, arrays and scalars replace.
 * The result is not trusted: it goes through the schema like any hand-written environment.
 */
export function mergeEnvironment(base: EnvironmentOverrides, ...layers: EnvironmentOverrides[]): unknown {
  return layers.reduce<unknown>((acc, layer) => deepMerge(acc, layer), base);
}

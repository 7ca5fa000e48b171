import { deepMerge } from "../../lib/deep-merge";
import type { DeprecatedOverrides } from "../common/deprecations";
import type { EnvironmentInput } from "./environment";

/**
 * An environment file's overrides: every field optional at every depth, arrays replaced whole;
 * fields the previous release had are still typed, marked deprecated.
 */
export type EnvironmentOverrides = DeepPartial<EnvironmentInput> & DeprecatedOverrides;

export type DeepPartial<T> = T extends readonly unknown[]
  ? T
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> }
    : T;

/**
 * Layers overrides on the shared base: objects merge key by key, arrays and scalars replace, and
 * a key given as `undefined` removes what the base had (an existing VPC derived from an
 * environment that sets `vpcCidr` and `natGateways` says `natGateways: undefined`).
 * The result is not trusted: it goes through the schema like any hand-written environment.
 */
export function mergeEnvironment(base: EnvironmentOverrides, ...layers: EnvironmentOverrides[]): unknown {
  return layers.reduce<unknown>((acc, layer) => withoutRemoved(deepMerge(acc, layer), layer), base);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The merged value without the keys the layer set to undefined, at every depth. */
function withoutRemoved(merged: unknown, layer: unknown): unknown {
  if (!isRecord(merged) || !isRecord(layer)) return merged;
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(merged)) {
    if (key in layer && layer[key] === undefined) continue;
    result[key] = key in layer ? withoutRemoved(value, layer[key]) : value;
  }
  return result;
}

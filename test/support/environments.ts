import { mergeEnvironment, type EnvironmentOverrides } from "../../configuration/schema/merge";
import { SHIPPED_ENVIRONMENTS, validateEnvironment, type EnvironmentConfig } from "../../environments";

/** A shipped environment with overrides layered on, for tests of what the schema rejects. */
export function shippedWith(name: "dev" | "staging" | "prod", overrides: EnvironmentOverrides): unknown {
  return mergeEnvironment(SHIPPED_ENVIRONMENTS[name] as EnvironmentOverrides, overrides);
}

/** A shipped environment with overrides layered on, validated: for tests whose figures pin some values. */
export function shippedConfigWith(name: "dev" | "staging" | "prod", overrides: EnvironmentOverrides): EnvironmentConfig {
  const result = validateEnvironment(shippedWith(name, overrides));
  if (!result.ok) throw new Error(`the test's fixture (${name} with ${JSON.stringify(overrides)}) is invalid: ${JSON.stringify(result.problems)}`);
  return result.config;
}

/** prod with the pool sizes a test's figures are worked out for (tasks 0–60, memory 0–4), whatever prod ships. */
export const PROD_AS_SIZED_IN_TESTS: EnvironmentOverrides = { nodeGroups: { tasks: { maxSize: 60 }, taskPools: { memory: { maxSize: 4 } } } };

import { mergeEnvironment, type EnvironmentOverrides } from "../../configuration/schema/merge";
import { SHIPPED_ENVIRONMENTS } from "../../environments";

/** A shipped environment with overrides layered on, for tests of what the schema rejects. */
export function shippedWith(name: "dev" | "staging" | "prod", overrides: EnvironmentOverrides): unknown {
  return mergeEnvironment(SHIPPED_ENVIRONMENTS[name] as EnvironmentOverrides, overrides);
}

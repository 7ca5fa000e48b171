import { validateEnvironment, type EnvironmentConfig } from "../../environments";
import { shippedWith } from "./environments";

// The environment the StatsD capture renders Airflow's files for: the tests' own name, so its
// files (and the `env:` the agent would add) do not depend on a shipped example's values beyond
// the defaults every environment shares.
export function captureEnvironment(): EnvironmentConfig {
  const result = validateEnvironment(shippedWith("dev", { name: "capture" }));
  if (!result.ok) throw new Error(`the StatsD capture's environment is invalid: ${JSON.stringify(result.problems)}`);
  return result.config;
}

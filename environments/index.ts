import { ConfigError } from "../lib/config-error";
import type { EnvironmentConfig } from "../configuration/schema/environment-config";
import { dev } from "./dev";
import { prod } from "./prod";
import { staging } from "./staging";
import { validateEnvironments } from "../configuration/validation/validate";

/** The shipped environments, in promotion order. */
export const SHIPPED_ENVIRONMENTS: Readonly<Record<string, unknown>> = { dev, staging, prod };

/**
 * The environment files a comma-separated list names (the `AIRFLOW_ENVIRONMENTS` variable), all
 * when empty; an unknown name is a configuration error.
 */
export function selectEnvironments(selection: string | undefined, available: Readonly<Record<string, unknown>> = SHIPPED_ENVIRONMENTS): unknown[] {
  const names = (selection ?? "").split(",").map((n) => n.trim()).filter((n) => n.length > 0);
  const chosen = names.length > 0 ? names : Object.keys(available);
  const unknown = chosen.filter((name) => !(name in available));
  if (unknown.length > 0) {
    throw new ConfigError(
      unknown.map((name) => ({
        environment: name,
        constructPath: "(app)",
        field: "AIRFLOW_ENVIRONMENTS",
        given: JSON.stringify(name),
        allowed: `one of ${Object.keys(available).join(", ")}`,
      })),
    );
  }
  return chosen.map((name) => available[name]);
}

/** Selects environments and validates every one of them before returning any. */
export function loadEnvironments(
  selection: string | undefined,
  available: Readonly<Record<string, unknown>> = SHIPPED_ENVIRONMENTS,
): EnvironmentConfig[] {
  return validateEnvironments(selectEnvironments(selection, available));
}

export type { EnvironmentConfig } from "../configuration/schema/environment-config";
export { validateEnvironment, validateEnvironments } from "../configuration/validation/validate";

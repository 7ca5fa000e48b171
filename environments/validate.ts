import type { ZodIssue } from "zod";
import { ConfigError, renderValue, type ConfigProblem } from "../constructs/config-error";
import { validateAirflowValues } from "../constructs/airflow/values-schema";
import { knownMetrics } from "../constructs/datadog/metric-catalog";
import { checkMonitorSpec } from "../constructs/datadog/monitor-spec";
import { constructPathForField } from "../stacks/construct-paths";
import { monitorSpecsFor } from "../stacks/observability-monitors";
import { airflowValuesFor } from "../stacks/platform-values";
import { deriveEnvironment, type EnvironmentConfig } from "./config";
import { checkEnvironmentRules, type RuleViolation } from "./rules";
import { environmentSchema } from "./schema";

/** The result of validating one environment: a config, or every problem found in it. */
export type ValidationResult =
  | { readonly ok: true; readonly config: EnvironmentConfig }
  | { readonly ok: false; readonly problems: readonly ConfigProblem[] };

/**
 * Schema first (shapes, defaults), then the cross-field rules, then derivation, then what the
 * environment produces: Airflow chart values against the chart's schema, monitors against the
 * Datadog metric catalog.
 */
export function validateEnvironment(input: unknown): ValidationResult {
  const environment = environmentName(input);
  const parsed = environmentSchema.safeParse(input);
  if (!parsed.success) {
    return { ok: false, problems: parsed.error.issues.map((issue) => fromZodIssue(environment, input, issue)) };
  }
  const violations = checkEnvironmentRules(parsed.data);
  if (violations.length > 0) {
    return { ok: false, problems: violations.map((v) => fromViolation(environment, v)) };
  }
  const config = deriveEnvironment(parsed.data);
  const values = airflowValuesFor(config);
  const chartProblems = validateAirflowValues(values).map((v) => ({
    environment,
    constructPath: constructPathForField(environment, ["airflow"]),
    field: `airflow chart values: ${v.path}`,
    given: renderValue(valueAt(values, v.path.split("."))),
    allowed: v.message,
  }));
  const monitorProblems = monitorSpecsFor(config).flatMap((spec) =>
    checkMonitorSpec(spec, knownMetrics()).map((message) => ({
      environment,
      constructPath: `${constructPathForField(environment, ["observability"])}/${spec.key}`,
      field: `observability monitor ${spec.key}`,
      given: renderValue(spec.query),
      allowed: message,
    })),
  );
  const produced = [...chartProblems, ...monitorProblems];
  if (produced.length > 0) return { ok: false, problems: produced };
  return { ok: true, config };
}

/** Validates every environment before any is used, and throws once with all their problems. */
export function validateEnvironments(inputs: readonly unknown[]): EnvironmentConfig[] {
  const results = inputs.map(validateEnvironment);
  const problems = results.flatMap((r) => (r.ok ? [] : r.problems));
  if (problems.length > 0) throw new ConfigError(problems);
  return results.flatMap((r) => (r.ok ? [r.config] : []));
}

function environmentName(input: unknown): string {
  if (typeof input === "object" && input !== null && "name" in input && typeof input.name === "string") {
    return input.name;
  }
  return "(unnamed)";
}

function fromViolation(environment: string, v: RuleViolation): ConfigProblem {
  return {
    environment,
    constructPath: constructPathForField(environment, v.path),
    field: v.path.join("."),
    given: renderValue(v.given),
    allowed: v.allowed,
  };
}

function fromZodIssue(environment: string, input: unknown, issue: ZodIssue): ConfigProblem {
  const path = issue.path;
  if (issue.code === "unrecognized_keys") {
    return {
      environment,
      constructPath: constructPathForField(environment, path),
      field: [...path, issue.keys.join(",")].join("."),
      given: `unknown field${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => `"${k}"`).join(", ")}`,
      allowed: `only the fields the schema defines at ${path.length > 0 ? path.join(".") : "the top level"}`,
    };
  }
  return {
    environment,
    constructPath: constructPathForField(environment, path),
    field: path.join(".") || "(root)",
    given: renderValue(valueAt(input, path)),
    allowed: issue.message,
  };
}

function valueAt(root: unknown, path: readonly (string | number)[]): unknown {
  let current: unknown = root;
  for (const key of path) {
    if (typeof current !== "object" || current === null) return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}

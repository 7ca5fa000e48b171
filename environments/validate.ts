import type { ZodIssue } from "zod";
import { chartValueProblems } from "../constructs/airflow/values-schema";
import { ConfigError, renderValue, valueAt, type ConfigProblem } from "../constructs/config-error";
import { constructPathForField } from "./derived/construct-paths";
import { observabilityProblems } from "./derived/monitors";
import { airflowValuesFor } from "./derived/airflow-values";
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
  const produced = [
    ...chartValueProblems(environment, constructPathForField(environment, ["airflow"]), airflowValuesFor(config)),
    ...observabilityProblems(config),
  ];
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

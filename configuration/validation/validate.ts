import type { ZodIssue } from "zod";
import { chartValueProblems } from "../../constructs/airflow/values-schema";
import { ConfigError, renderValue, valueAt, type ConfigProblem } from "../../lib/config-error";
import { constructPathForField } from "../derived/construct-paths";
import { observabilityProblems } from "../derived/monitors";
import { airflowValuesFor } from "../derived/airflow-values";
import { chartSecretLiteralProblems } from "./chart-secret-literals";
import { deriveEnvironment, type EnvironmentConfig } from "../schema/environment-config";
import { withoutDeprecatedFields } from "../common/deprecations";
import { protectedValueProblems } from "./protected-values";
import type { RuleViolation } from "../common/rule-violation";
import { RULE_GROUPS } from "../rules/rule-groups";
import { typedChartValueProblems } from "./typed-chart-values";
import { environmentSchema, type ParsedEnvironment } from "../schema/environment";
import { dropUnknownKeys, fieldNamesAt } from "../common/schema-walk";
import { didYouMean } from "../common/suggest";

/** The result of validating one environment: a config, or every problem found in it. */
export type ValidationResult =
  | { readonly ok: true; readonly config: EnvironmentConfig; readonly warnings?: readonly string[] }
  | { readonly ok: false; readonly problems: readonly ConfigProblem[] };

type Section = keyof ParsedEnvironment;
const SECTIONS = Object.keys(environmentSchema.shape) as Section[];

/**
 * Every problem of one environment in one pass, as far as its shape allows: the schema's
 * findings; the rules of every group whose sections parsed (a typo in `database` does not hide a
 * node group whose minimum exceeds its maximum); and, when the whole shape parsed, what the
 * environment produces: chart values against the chart's schema and the protected paths,
 * monitors against the Datadog metric catalog.
 */
export function validateEnvironment(given: unknown): ValidationResult {
  const { input, warnings, removed } = withoutDeprecatedFields(given);
  const environment = environmentName(input);
  const parsed = environmentSchema.safeParse(input);
  const problems: ConfigProblem[] = removed.map((field) => ({
    environment,
    constructPath: constructPathForField(environment, field.path),
    field: field.path.join("."),
    given: field.given,
    allowed: field.allowed,
  }));
  if (!parsed.success) problems.push(...parsed.error.issues.flatMap((issue) => fromZodIssue(environment, input, issue)));
  const { sections, partial } = parsed.success ? { sections: new Set(SECTIONS), partial: parsed.data } : parseSections(input);
  for (const group of RULE_GROUPS) {
    if (group.needs.every((section) => sections.has(section))) {
      problems.push(...group.check(partial).map((v) => fromViolation(environment, v)));
    }
  }
  if (!parsed.success) return { ok: false, problems };
  const config = deriveEnvironment(parsed.data);
  problems.push(
    ...chartValueProblems(environment, constructPathForField(environment, ["airflow"]), airflowValuesFor(config)),
    ...protectedValueProblems(config).map((v) => fromViolation(environment, v)),
    ...chartSecretLiteralProblems(config).map((v) => fromViolation(environment, v)),
    ...typedChartValueProblems(config).map((v) => fromViolation(environment, v)),
    ...observabilityProblems(config),
  );
  return problems.length > 0 ? { ok: false, problems } : { ok: true, config, warnings };
}

/** How a deprecation reaches a library user who passes no `warn`: Node's own DeprecationWarning on stderr. */
export function emitDeprecation(message: string): void {
  process.emitWarning(message, { type: "DeprecationWarning", code: "AIRFLOW_PLATFORM_DEPRECATED_FIELD" });
}

/**
 * Each top-level section parsed on its own, with unknown fields dropped (they are reported
 * already), so the rules can run on whatever is sound. The result is only read through the
 * sections listed as parsed: RULE_GROUPS names what each group reads.
 */
function parseSections(input: unknown): { sections: Set<Section>; partial: ParsedEnvironment } {
  const record = typeof input === "object" && input !== null ? (input as Record<string, unknown>) : {};
  const sections = new Set<Section>();
  const partial: Record<string, unknown> = {};
  for (const section of SECTIONS) {
    const result = environmentSchema.shape[section].safeParse(dropUnknownKeys(environmentSchema.shape[section], record[section]));
    if (result.success) {
      sections.add(section);
      partial[section] = result.data;
    }
  }
  return { sections, partial: partial as ParsedEnvironment };
}

/** Validates every environment before any is used, and throws once with all their problems. */
export function validateEnvironments(inputs: readonly unknown[], warn: (message: string) => void = emitDeprecation): EnvironmentConfig[] {
  const results = inputs.map(validateEnvironment);
  const problems = [...results.flatMap((r) => (r.ok ? [] : r.problems)), ...duplicateNames(inputs)];
  if (problems.length > 0) throw new ConfigError(problems);
  for (const message of results.flatMap((r) => (r.ok ? (r.warnings ?? []) : []))) warn(message);
  return results.flatMap((r) => (r.ok ? [r.config] : []));
}

/** Two environments with one name would be one construct id and one set of stacks. */
function duplicateNames(inputs: readonly unknown[]): ConfigProblem[] {
  const names = inputs.map(environmentName);
  return [...new Set(names.filter((name, i) => names.indexOf(name) !== i))].map((name) => ({
    environment: name,
    constructPath: "(app)",
    field: "name",
    given: `${JSON.stringify(name)} for ${names.filter((n) => n === name).length} environments`,
    allowed: "a name no other environment of the app uses: it names the construct, the stacks <name>-infrastructure, -platform and -observability, and every AWS resource",
  }));
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

function fromZodIssue(environment: string, input: unknown, issue: ZodIssue): ConfigProblem[] {
  const path = issue.path;
  if (issue.code === "unrecognized_keys") {
    const known = fieldNamesAt(environmentSchema, path, input);
    const where = path.length > 0 ? path.join(".") : "the top level";
    return issue.keys.map((key) => ({
      environment,
      constructPath: constructPathForField(environment, path),
      field: [...path, key].join("."),
      given: `unknown field "${key}"`,
      allowed: `${didYouMean(key, known)}only the fields the schema defines at ${where}: ${known.join(", ")}`,
    }));
  }
  return [
    {
      environment,
      constructPath: constructPathForField(environment, path),
      field: path.join(".") || "(root)",
      given: renderValue(valueAt(input, path)),
      allowed: issue.message === "Required" ? `required: ${describeExpected(issue)}` : issue.message,
    },
  ];
}

function describeExpected(issue: ZodIssue): string {
  return issue.code === "invalid_type" ? `a ${issue.expected}` : issue.message;
}

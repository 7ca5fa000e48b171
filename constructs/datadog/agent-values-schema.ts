import type { ValidateFunction } from "ajv";
import { readFileSync } from "node:fs";
import { dataFile } from "../../lib/data-files";
import { schemaViolations, type ValuesViolation } from "../airflow/values-schema";

// The Datadog chart's own values.schema.json (data/datadog-chart, chart 3.240.0). It types only a
// few sections and leaves unknown keys open, so it catches a wrong type or enum where it speaks;
// test/unit/chart-dead-values.test.ts checks that every key the project sets is read by a template.
// Checked in the tests for every shipped environment, not at synth: no prop of
// DatadogAgentRelease reaches a field the schema types, so a synth could only pay for loading ajv
// (about 70 ms) and never learn anything new.

let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  if (!compiled) {
    const { default: Ajv } = require("ajv") as typeof import("ajv");
    const ajv = new Ajv({ allErrors: true, strict: false });
    // The schema names draft-07 by its https URL, which ajv (draft-07 built in, under http) does
    // not know; the draft is the same, so the reference is dropped rather than fetched.
    const { $schema: _draft, ...schema } = JSON.parse(readFileSync(dataFile("datadog-chart", "values.schema.json"), "utf8")) as Record<string, unknown>;
    compiled = ajv.compile(schema);
  }
  return compiled;
}

/** Validates the agent's values against the chart's schema; every violation, none when valid. */
export function validateAgentValues(values: unknown): ValuesViolation[] {
  const validate = validator();
  return validate(values) ? [] : schemaViolations(validate.errors);
}

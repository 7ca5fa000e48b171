import assert from "node:assert/strict";
import { isDeepStrictEqual } from "node:util";
import { describe, it } from "node:test";
import { valueAt } from "../../lib/config-error";
import { validateEnvironment } from "../../environments";
import { builtAirflowValues } from "../../configuration/derived/airflow-values";
import { mergeEnvironment, type EnvironmentOverrides } from "../../configuration/schema/merge";
import { TYPED_CHART_VALUES } from "../../configuration/validation/typed-chart-values";
import { shippedConfigWith, shippedWith } from "../support/environments";

// A chart override of a value a typed field sets is refused, naming the field: otherwise the
// release would run the override while derived config, capacity and monitors assume the field.

const overrideFor = (chartPath: string, value: unknown): Record<string, unknown> =>
  chartPath.split(".").reduceRight<unknown>((inner, key) => ({ [key]: inner }), value) as Record<string, unknown>;

describe("typed fields win over chart overrides of the same value", () => {
  const dev = shippedConfigWith("dev", {});

  for (const typed of TYPED_CHART_VALUES) {
    it(`${typed.chartPath} is set by ${typed.field}, and an override of it is refused naming that field`, () => {
      const keys = typed.chartPath.split(".");
      // The link is real: changing the typed field changes the chart value.
      const probed = validateEnvironment(mergeEnvironment(shippedWith("dev", {}) as EnvironmentOverrides, typed.probe));
      assert.ok(probed.ok, JSON.stringify(probed));
      assert.ok(!isDeepStrictEqual(valueAt(builtAirflowValues(probed.config), keys), valueAt(builtAirflowValues(dev), keys)), `${typed.field} does not set ${typed.chartPath}`);
      // An override of the chart value is refused, saying which field to set.
      const different = valueAt(builtAirflowValues(probed.config), keys);
      const result = validateEnvironment(shippedWith("dev", { airflow: { chartValueOverrides: overrideFor(typed.chartPath, different) } }));
      const problem = result.ok ? undefined : result.problems.find((p) => p.field === `airflow.chartValueOverrides.${typed.chartPath}`);
      assert.ok(problem, JSON.stringify(result));
      assert.ok(problem.allowed.startsWith(`set ${typed.field} instead`), problem.allowed);
    });
  }

  it("accepts an override that repeats the typed field's value", () => {
    const same = valueAt(builtAirflowValues(dev), ["scheduler", "replicas"]);
    assert.ok(validateEnvironment(shippedWith("dev", { airflow: { chartValueOverrides: { scheduler: { replicas: same } } } })).ok);
  });
});

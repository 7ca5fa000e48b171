import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { parse } from "yaml";
import { AIRFLOW_CHART } from "../../constructs/airflow/chart-versions";
import { dataFile } from "../../lib/data-files";
import { loadEnvironments } from "../../environments";
import { airflowValuesFor } from "../../configuration/derived/airflow-values";

// Airflow reads `[section] option` from airflow.cfg and ignores one it does not know, without a
// word: a misspelt option in the chart's `config` would do nothing. Every option the project sets
// must be in Airflow's configuration reference (data/airflow-config) as of the version it runs.

type Reference = Record<string, { options: Record<string, { version_added?: string | null }> }>;
const core = parse(readFileSync(dataFile("airflow-config", "config.yml"), "utf8")) as Reference;
/**
 * The provider's `config` sections and option names, read by indentation: the upstream file is not
 * YAML 1.2 the `yaml` package accepts (a quoted default continues on a line no deeper than its
 * key; PyYAML lets it through). Provider options have no Airflow `version_added` of their own.
 */
function providerOptions(text: string): Reference {
  const sections: Reference = {};
  let inConfig = false;
  let section: string | undefined;
  for (const line of text.split("\n")) {
    if (/^\S/.test(line)) inConfig = line.startsWith("config:");
    else if (inConfig && /^ {2}[a-z_]+:\s*$/.test(line)) sections[(section = line.trim().slice(0, -1))] = { options: {} };
    else if (inConfig && section && /^ {6}[a-z_0-9]+:\s*$/.test(line)) sections[section].options[line.trim().slice(0, -1)] = {};
  }
  return sections;
}
const providers = readdirSync(dataFile("airflow-config")).filter((name) => name.endsWith("-provider.yaml"));
const providerSections: Reference = Object.assign({}, ...providers.map((name) => providerOptions(readFileSync(dataFile("airflow-config", name), "utf8"))));
const reference: Reference = { ...core, ...providerSections };

const older = (added: string, version: string) => {
  const [a, b] = [added, version].map((v) => v.split(".").map(Number));
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
};

/** Options the values set that Airflow `version` does not have, with why. */
function unknownOptions(config: Record<string, Record<string, unknown> | null>, version: string): string[] {
  // A null deletes the chart's default (chart-default-config.ts): not an option the project sets.
  return Object.entries(config).flatMap(([section, options]) =>
    Object.keys(options ?? {}).filter((option) => options?.[option] !== null).flatMap((option) => {
      const known = reference[section]?.options[option];
      if (!known) return [`[${section}] ${option}: not an Airflow option`];
      const added = known.version_added;
      return added && older(added, version) > 0 ? [`[${section}] ${option}: added in ${added}`] : [];
    }),
  );
}

describe("Airflow options the project sets", () => {
  it("all exist in the Airflow it runs, in every environment", () => {
    for (const config of loadEnvironments(undefined)) {
      const values = airflowValuesFor(config) as { config: Record<string, Record<string, unknown> | null> };
      assert.deepEqual(unknownOptions(values.config, AIRFLOW_CHART.airflowVersion), [], config.name);
    }
  });

  it("reads the providers' options: the KubernetesExecutor's and FAB's", () => {
    assert.ok(Object.keys(providerSections.kubernetes_executor?.options ?? {}).length > 20);
    assert.ok(providerSections.kubernetes_executor.options.delete_worker_pods_on_failure);
    assert.ok(providerSections.fab?.options.enable_proxy_fix);
  });

  it("a misspelt option, one in the wrong section and one from a later Airflow are caught", () => {
    assert.deepEqual(unknownOptions({ core: { dags_are_paused_on_creation: "False" }, scheduler: { statsd_on: "True" } }, "3.1.8"), [
      "[core] dags_are_paused_on_creation: not an Airflow option",
      "[scheduler] statsd_on: not an Airflow option",
    ]);
    assert.deepEqual(unknownOptions({ metrics: { statsd_on: "True" } }, "1.10.15"), ["[metrics] statsd_on: added in 2.0.0"]);
  });
});

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { DROPPED_CHART_CONFIG, KEPT_CHART_CONFIG } from "../../constructs/airflow/chart-default-config";
import { loadEnvironments, type EnvironmentConfig } from "../../environments";
import { airflowValuesFor } from "../../configuration/derived/airflow-values";
import type { AirflowFiles } from "../support/airflow-files";
import { airflowReads, TEST_SSO_CLIENT_SECRET, type AirflowReads } from "../support/airflow-reads";
import { FIXTURE_OIDC_CLIENT, fixtureEnvironment } from "./airflow-fixture";

// The airflow.cfg, webserver_config.py and airflow_local_settings.py real Helm renders for every
// environment (and the tests' own fixture, which signs in with OIDC), loaded by the real Airflow
// 3.1.8 with the platform's providers: every option one Airflow reads, none deprecated or removed
// (Airflow 3's own lint table and the warnings reading the config raises), no chart default left
// that the project did not keep on purpose, and FAB's generic OIDC path present.

const started = Date.now();
const environments: EnvironmentConfig[] = [...loadEnvironments(undefined), fixtureEnvironment()];
const results = new Map<string, { files: AirflowFiles; reads: AirflowReads; fileWarnings: string[] }>();

/** Options as `[section] option` of an airflow.cfg text. */
function cfgOptions(cfg: string): string[] {
  let section = "";
  return cfg.split("\n").flatMap((line) => {
    const header = /^\[(.+)\]$/.exec(line.trim());
    if (header) section = header[1];
    const option = /^([a-z_0-9]+)\s*=/.exec(line.trim());
    return option && !header ? [`[${section}] ${option[1]}`] : [];
  });
}

/** What the chart used to write and Airflow 3.1 does not read: the checks must report each. */
const DEAD_CFG = ["[scheduler]", "run_duration = 41460", "standalone_dag_processor = True", "statsd_on = True", "[webserver]", "rbac = True", "[kubernetes]", "namespace = airflow", "[celery]", "worker_concurrency = 16", "[elasticsearch]", "log_id_template = {dag_id}_{task_id}_{execution_date}_{try_number}", ""].join("\n");

before(async () => {
  // One process per environment (Airflow reads its config at import), side by side.
  const fixture = environments[environments.length - 1];
  const runs = environments.map(async (config) => {
    const request = config === fixture ? { probeCfg: DEAD_CFG, oidcClaims: { sub: "00u1", preferred_username: "ada", email: "ada@example.org", given_name: "Ada", groups: ["fixture-engineers"] } } : {};
    results.set(config.name, await airflowReads(config, request));
  });
  await Promise.all(runs);
});

after(() => console.log(`# Airflow config suite: ${environments.length} environments read by Airflow in ${((Date.now() - started) / 1000).toFixed(1)} s`));

const get = (name: string) => {
  const result = results.get(name);
  assert.ok(result, `no Airflow reads for ${name}`);
  return result;
};

for (const config of environments) {
  describe(`Airflow 3.1.8 reads ${config.name}'s rendered files`, () => {
    it("airflow.cfg: every option known to Airflow or its providers, none deprecated, renamed or removed, no warning", () => {
      const { config: cfg } = get(config.name).reads;
      assert.ok(cfg.options.length > 20, cfg.options.join(", "));
      assert.deepEqual({ unknown: cfg.unknown, deprecated: cfg.deprecated, removed: cfg.removed, warnings: cfg.warnings }, { unknown: [], deprecated: [], removed: [], warnings: [] });
      // `airflow config lint` reports only changed defaults the platform overrides on purpose (the executor).
      assert.deepEqual(cfg.lint.map((l) => l.trim()), cfg.defaultChanges.map((l) => l.trim()));
      assert.ok(cfg.lint.every((l) => /^Changed default value of `executor`/.test(l)), cfg.lint.join("\n"));
    });

    it("airflow.cfg: only options the project sets or keeps from the chart on purpose; none of the dropped ones", () => {
      const { files } = get(config.name);
      const project = (airflowValuesFor(config).config ?? {}) as Record<string, Record<string, unknown> | null>;
      const set = Object.entries(project).flatMap(([section, options]) => Object.entries(options ?? {}).filter(([, v]) => v !== null).map(([option]) => `[${section}] ${option}`));
      const kept = Object.entries(KEPT_CHART_CONFIG).flatMap(([section, options]) => options.map((option) => `[${section}] ${option}`));
      const rendered = cfgOptions(files.airflowCfg);
      assert.deepEqual(rendered.filter((o) => !set.includes(o) && !kept.includes(o)), [], "chart defaults nobody chose");
      const dropped = Object.entries(DROPPED_CHART_CONFIG).flatMap(([section, options]) => (options === null ? [`[${section}]`] : Object.keys(options).map((o) => `[${section}] ${o}`)));
      assert.deepEqual(dropped.filter((d) => rendered.some((o) => o === d || o.startsWith(`${d} `))), []);
      // Behind the ALB (airflow.ui) the UI is HTTPS only: FAB's session cookie is Secure.
      if (config.airflow.ui) assert.match(files.airflowCfg, /\[fab\]\ncookie_secure = True\n/);
      else assert.doesNotMatch(files.airflowCfg, /cookie_secure/);
    });

    it("no Celery broker Secret and no Go nil anywhere in the render", () => {
      const { files } = get(config.name);
      assert.deepEqual(files.manifests.filter((m) => m.kind === "Secret" && m.metadata.name.endsWith("broker-url")).map((m) => m.metadata.name), []);
      const nils = files.manifests.filter((m) => JSON.stringify(m).includes("%!s(<nil>)") || Object.values((m as { data?: Record<string, string> }).data ?? {}).some((v) => Buffer.from(v, "base64").toString().includes("%!s(<nil>)")));
      assert.deepEqual(nils.map((m) => `${m.kind}/${m.metadata.name}`), []);
    });

    it("webserver_config.py: loads without warning, and every setting it makes is read by Flask, FAB or the file itself", () => {
      const web = get(config.name).reads.webserverConfig;
      assert.deepEqual(web.unread, []);
      assert.deepEqual(web.warnings, []);
      assert.ok(web.settings.includes("AUTH_TYPE"), web.settings.join(", "));
      assert.equal(web.breakGlassAuthType, web.authDb, "the break-glass switch gives password login");
    });

    it("airflow_local_settings.py: loaded by Airflow at start-up from the rendered file, its pod_mutation_hook registered, no Airflow setting overwritten", () => {
      const local = get(config.name).reads.localSettings;
      assert.equal(local.loadedFrom, local.expected);
      assert.deepEqual(local.policies, ["pod_mutation_hook"]);
      assert.deepEqual(local.clobbers, []);
      assert.deepEqual(get(config.name).fileWarnings, [], "warnings raised by the rendered files (python -W default)");
      assert.equal(get(config.name).reads.podTemplate.exists, true, get(config.name).reads.podTemplate.path);
    });
  });
}

describe("the checks themselves", () => {
  it("report each dead chart default: unknown, or moved by Airflow 3's lint table", () => {
    const probe = get(environments[environments.length - 1].name).reads.probe;
    assert.ok(probe);
    const flagged = [...probe.unknown, ...probe.removed].map((line) => line.split(":")[0]).sort();
    assert.deepEqual(flagged, ["[celery] worker_concurrency", "[elasticsearch] log_id_template", "[kubernetes] namespace", "[scheduler] run_duration", "[scheduler] standalone_dag_processor", "[scheduler] statsd_on", "[webserver] rbac"]);
  });
});

describe("FAB's generic OIDC userinfo path (apache/airflow#50921), in the installed provider", () => {
  const lockedFab = /^apache-airflow-providers-fab==([\d.]+) /m.exec(readFileSync(join(__dirname, "..", "..", "python", "airflow.lock"), "utf8"))?.[1];

  it("is the FAB version the lock pins, and provider `oidc` gets the user from the userinfo endpoint, not {}", () => {
    const fixture = environments[environments.length - 1];
    const { fabOidc, webserverConfig } = get(fixture.name).reads;
    assert.ok(fabOidc);
    assert.equal(fabOidc.fabVersion, lockedFab);
    assert.deepEqual(fabOidc.user, { username: "ada", first_name: "Ada", last_name: "", email: "ada@example.org", role_keys: ["fixture-engineers"] });
    assert.equal(fabOidc.userinfoCalls, 1);
    assert.deepEqual(webserverConfig.oauthProviders, ["oidc"], `${FIXTURE_OIDC_CLIENT}'s provider is the generic one`);
    assert.deepEqual(webserverConfig.clientSecretRead, [TEST_SSO_CLIENT_SECRET], "the client secret comes from the mounted file");
  });
});

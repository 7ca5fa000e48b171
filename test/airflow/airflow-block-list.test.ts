import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { describe, it } from "node:test";
import { airflowMetricsConfig } from "../../constructs/datadog/airflow-metrics-config";
import { airflowMetricsSettings, airflowSendsStat } from "../../constructs/datadog/airflow-statsd-client";
import { capturedLines, statOf } from "../support/captured-series";
import { venvPython } from "../support/python";

// The platform's `[metrics] metrics_block_list`, applied to every name Airflow 3.1.8 sent in the
// capture (taken without one) by Airflow's own validator, as its Stats client builds it: the
// project's model of it (airflowSendsStat), which the monitor tests use, must agree name for name.

const VALIDATE = `
import json, sys
from airflow.metrics.validators import PatternBlockListValidator
request = json.load(sys.stdin)
validator = PatternBlockListValidator(request["blockList"])
json.dump({name: validator.test(name) for name in request["names"]}, sys.stdout)
`;

describe("the platform's block list in Airflow 3.1.8's own validator", () => {
  it("lets through exactly the captured names the project's model lets through", () => {
    const names = [...new Set(capturedLines().flatMap(({ line }) => statOf(line) ?? []))].sort();
    const metrics = airflowMetricsConfig("dogstatsd");
    const result = spawnSync(venvPython("airflow"), ["-c", VALIDATE], { input: JSON.stringify({ blockList: metrics.metrics_block_list, names }), encoding: "utf8", timeout: 120_000 });
    assert.equal(result.status, 0, result.stderr);
    const airflow = JSON.parse(result.stdout) as Record<string, boolean>;
    const settings = airflowMetricsSettings(metrics);
    const disagree = names.filter((name) => airflow[name] !== airflowSendsStat(name, settings)).map((name) => `${name}: Airflow ${airflow[name] ? "sends" : "drops"} it`);
    assert.deepEqual(disagree, []);
    assert.ok(names.some((name) => !airflow[name]) && names.some((name) => airflow[name]), "the capture has names the list drops and names it keeps");
  });
});

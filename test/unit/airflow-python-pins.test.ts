import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { PLATFORM_AIRFLOW_IMAGE } from "../../constructs/airflow/airflow-image";
import { airflowPythonPins, lockedVersions, pinnedRequirements, pinsOffLock } from "../../constructs/airflow/airflow-python-pins";
import { AIRFLOW_CHART } from "../../constructs/airflow/chart-versions";
import { venvPython } from "../support/python";

// One source for the image and the tests' Airflow: python/airflow.in (pinned requirements) and
// the lock resolved from it. The image recipe reads both; the tests' venv installs the lock.

const root = join(__dirname, "..", "..");
const inText = readFileSync(join(root, "python", "airflow.in"), "utf8");
const lockText = readFileSync(join(root, "python", "airflow.lock"), "utf8");

describe("python/airflow.in and python/airflow.lock", () => {
  it("pin each requirement at the lock's version, Airflow at the chart's, and the image recipe installs exactly them", () => {
    const requirements = pinnedRequirements(inText, "airflow.in");
    assert.deepEqual(pinsOffLock(requirements, lockedVersions(lockText)), []);
    assert.ok(requirements.includes(`apache-airflow[statsd]==${AIRFLOW_CHART.airflowVersion}`), requirements.join(", "));
    assert.deepEqual(PLATFORM_AIRFLOW_IMAGE.requirements, requirements);
    assert.deepEqual(PLATFORM_AIRFLOW_IMAGE.lockedVersions, lockedVersions(lockText));
    assert.equal(airflowPythonPins().lockedVersions.length, (lockText.match(/^[A-Za-z0-9][^\s]*==/gm) ?? []).length);
  });

  it("refuse an unpinned requirement and report a pin the lock does not have", () => {
    assert.throws(() => pinnedRequirements("apache-airflow>=3.1\napache-airflow-providers-fab==3.10.2 # FAB\n", "x.in"), /x\.in: every requirement must be pinned .*not: apache-airflow>=3\.1$/);
    assert.deepEqual(pinsOffLock(["apache-airflow-providers-fab[oauth]==3.10.1", "Apache_Airflow==3.1.8", "nosuch==1"], ["apache-airflow==3.1.8", "apache-airflow-providers-fab==3.10.2"]), [
      "apache-airflow-providers-fab[oauth]==3.10.1 (airflow.lock: apache-airflow-providers-fab==3.10.2)",
      "nosuch==1 (airflow.lock: absent)",
    ]);
  });

  it("are what the tests' Airflow venv has installed", () => {
    const names = PLATFORM_AIRFLOW_IMAGE.requirements.map((r) => r.split("==")[0].replace(/\[.*\]/, ""));
    const script = "import json, sys; from importlib.metadata import version; print(json.dumps([n + '==' + version(n) for n in sys.argv[1:]]))";
    const installed = JSON.parse(execFileSync(venvPython("airflow"), ["-c", script, ...names], { encoding: "utf8" })) as string[];
    assert.deepEqual(installed, PLATFORM_AIRFLOW_IMAGE.requirements.map((r) => r.replace(/\[.*\]/, "")));
  });
});

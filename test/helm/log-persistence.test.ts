import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { deepMerge } from "../../lib/deep-merge";
import { dataFile } from "../../lib/data-files";
import { validateEnvironment } from "../../environments";
import { airflowValuesFor } from "../../configuration/derived/airflow-values";
import { shippedConfigWith, shippedWith } from "../support/environments";
import { chartCopy, helmTemplate, type Manifest } from "../support/helm";

// logs.persistence.enabled is a guarantee: real Helm, given false, mounts an emptyDir where the
// platform's EFS claim was, so a task's log dies with its pod. Validation refuses the override.

interface Volume {
  readonly name: string;
  readonly emptyDir?: unknown;
  readonly persistentVolumeClaim?: { readonly claimName: string };
}
interface Workload extends Manifest {
  spec: { template: { spec: { volumes?: Volume[] } } };
}

const chart = chartCopy(dataFile("airflow-chart", "chart"), [dataFile("airflow-chart", "values.yaml"), dataFile("airflow-chart", "values.schema.json")]);
const schedulerLogs = (values: Record<string, unknown>) => {
  const scheduler = helmTemplate(chart, "airflow", "airflow", values).find((o): o is Workload => ["Deployment", "StatefulSet"].includes(o.kind) && o.metadata.name === "airflow-scheduler");
  return scheduler?.spec.template.spec.volumes?.find((v) => v.name === "logs");
};

describe("the task log volume", () => {
  const config = shippedConfigWith("dev", {});

  it("is the platform's EFS claim as the values render", () => {
    assert.deepEqual(schedulerLogs(airflowValuesFor(config))?.persistentVolumeClaim, { claimName: String((airflowValuesFor(config).logs as { persistence: { existingClaim: string } }).persistence.existingClaim) });
  });

  it("would be an emptyDir with persistence off, which validation refuses", () => {
    const off = { logs: { persistence: { enabled: false } } };
    const rendered = schedulerLogs(deepMerge(airflowValuesFor(config), off) as Record<string, unknown>);
    assert.ok(rendered && "emptyDir" in rendered && rendered.persistentVolumeClaim === undefined, JSON.stringify(rendered));
    const result = validateEnvironment(shippedWith("dev", { airflow: { chartValueOverrides: off } }));
    assert.ok(!result.ok && result.problems.some((p) => p.field === "airflow.chartValueOverrides.logs.persistence.enabled" && /emptyDir/.test(p.allowed)), JSON.stringify(result));
  });
});

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loadEnvironments } from "../../environments";
import { airflowValuesFor } from "../../configuration/derived/airflow-values";
import { monitorSpecsFor } from "../../configuration/derived/monitors";

// Task pods run in the task namespace (docs/containment.md); the monitors about task pods must
// watch the namespace the KubernetesExecutor starts them in, or they go quiet.

describe("the task pod monitors watch where the executor starts task pods", () => {
  for (const config of loadEnvironments(undefined)) {
    it(config.name, () => {
      const executorNamespace = ((airflowValuesFor(config).config as Record<string, Record<string, string>>).kubernetes_executor).namespace;
      assert.equal(executorNamespace, config.airflow.taskNamespace);
      for (const key of ["task-pods-pending", "pods-oomkilled"]) {
        const monitor = monitorSpecsFor(config).find((m) => m.key === key);
        assert.ok(monitor, key);
        assert.match(monitor.query, new RegExp(`kube_namespace:${executorNamespace}[,}]`), key);
      }
    });
  }
});

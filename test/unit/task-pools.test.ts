import { parse } from "yaml";
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ec2InstanceTypes } from "../../sizing/instance-data";
import { taskRoomOn } from "../../sizing/pool-fit";
import { NODE_POOL_LABEL, taskPoolTaint, type NodeTaint } from "../../constructs/cluster/node-placement";
import { datadogAgentValues } from "../../constructs/datadog/datadog-agent-release";
import { loadEnvironments, validateEnvironment } from "../../environments";
import { airflowValuesFor } from "../../configuration/derived/airflow-values";
import { monitorSpecsFor } from "../../configuration/derived/monitors";
import { taskPoolPlacements, taskPools, taskQuotaFor } from "../../configuration/derived/task-pools";
import { PROD_AS_SIZED_IN_TESTS, shippedConfigWith, shippedWith } from "../support/environments";

interface Toleration {
  readonly key?: string;
  readonly operator?: string;
  readonly value?: string;
  readonly effect?: string;
}

/** Kubernetes' Toleration.ToleratesTaint (k8s.io/api/core/v1/toleration.go). */
function tolerates(t: Toleration, taint: NodeTaint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  const operator = t.operator ?? "Equal";
  return operator === "Exists" || (operator === "Equal" && (t.value ?? "") === taint.value);
}

const [dev] = loadEnvironments("dev");
// prod's shape at the sizes this file's figures are worked out for, whatever prod ships.
const prod = shippedConfigWith("prod", PROD_AS_SIZED_IN_TESTS);
const room = (type: string) => {
  const instance = ec2InstanceTypes().get(type);
  assert.ok(instance, type);
  return taskRoomOn(instance);
};

describe("task pools", () => {
  it("are the default pool first, then the environment's, each with its own taint value on one key", () => {
    assert.deepEqual(taskPools(prod).map((p) => [p.name, p.settings.minSize, p.settings.maxSize, p.settings.desiredSize]), [["tasks", prod.nodeGroups.tasks.minSize, 60, prod.nodeGroups.tasks.desiredSize], ["memory", 0, 4, 0]]);
    assert.deepEqual(taskPoolPlacements(prod).map((p) => [p.nodeSelector[NODE_POOL_LABEL], p.taint.key, p.taint.value]), [["tasks", "airflow-platform/tasks", "true"], ["memory", "airflow-platform/tasks", "memory"]]);
  });

  it("size the task namespace's quota for every pool at its maximum", () => {
    const tasks = room("m6i.2xlarge");
    const memory = room("r6i.2xlarge");
    const quota = taskQuotaFor(prod);
    assert.equal(quota.cpuMillicores, 60 * tasks.cpuMillicores + 4 * memory.cpuMillicores);
    assert.equal(quota.memoryMiB, 60 * tasks.memoryMiB + 4 * memory.memoryMiB);
    assert.equal(quota.pods, 60 * tasks.pods + 4 * memory.pods);
    // The default task pod's limits are twice its requests: a full pool of them must not hit the quota first.
    assert.equal(quota.limitsCpuMillicores, 2 * quota.cpuMillicores);
    assert.equal(quota.limitsMemoryMiB, 2 * quota.memoryMiB);
  });

  it("keep a quota the environment gives, requests and limits alike", () => {
    const result = validateEnvironment(shippedWith("dev", { airflow: { taskQuota: { cpuMillicores: 20000, memoryMiB: 81920, pods: 40 } } }));
    assert.ok(result.ok, JSON.stringify(result));
    assert.deepEqual(taskQuotaFor(result.config), { cpuMillicores: 20000, memoryMiB: 81920, limitsCpuMillicores: 20000, limitsMemoryMiB: 81920, pods: 40 });
  });

  it("each get a monitor for being at their maximum, on the same metric and tags as the tasks group's", () => {
    const specs = monitorSpecsFor(prod);
    const tasks = specs.find((s) => s.key === "tasks-node-group-at-max");
    const memory = specs.find((s) => s.key === "task-pool-memory-at-max");
    assert.ok(tasks && memory);
    assert.equal(memory.query, tasks.query.replace("node_pool:tasks", "node_pool:memory").replace(/>= 60$/, ">= 4"));
    assert.deepEqual(memory.thresholds, { critical: 4 });
    assert.equal(specs.filter((s) => s.key.startsWith("task-pool-")).length, taskPools(prod).length - 1);
  });

  it("have a Datadog agent on every node, so task pods can reach DogStatsD on their node", () => {
    for (const config of [dev, prod]) {
      const values = datadogAgentValues({ environment: config.name, clusterName: config.clusterName, site: "datadoghq.eu", apiKeySecretName: "datadog-secret", clusterAgentReplicas: 1, checkSecrets: [] });
      const agentTolerations = ((values.agents as Record<string, unknown>).tolerations ?? []) as Toleration[];
      for (const pool of taskPools(config)) {
        assert.ok(agentTolerations.some((t) => tolerates(t, taskPoolTaint(pool.name))), `${config.name}: the agent tolerates the ${pool.name} pool`);
      }
    }
  });

  it("start task pods from the project's template on a pool the mutation hook keeps", () => {
    // The project's own task pod template (chart value podTemplate) is what task pods start from.
    const template = parse(String(airflowValuesFor(prod).podTemplate)) as { spec: { nodeSelector: Record<string, string>; tolerations: Toleration[]; affinity?: { nodeAffinity?: unknown } } };
    const pool = template.spec.nodeSelector[NODE_POOL_LABEL];
    assert.equal(pool, "tasks");
    // A pool is chosen by node selector, which a task's pod_override replaces; a node affinity would
    // not be replaced, so the template's affinity is only the preferred pod affinity that packs.
    assert.equal(template.spec.affinity?.nodeAffinity, undefined);
    assert.ok(template.spec.tolerations.some((t) => tolerates(t, taskPoolTaint(pool))));
    assert.ok(!template.spec.tolerations.some((t) => tolerates(t, taskPoolTaint("memory"))), "the template alone does not reach the memory pool");
  });
});

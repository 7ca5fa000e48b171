import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { after, before, describe, it } from "node:test";
import { parse } from "yaml";
import { taskPoolPlacements } from "../../configuration/derived/task-pools";
import type { AirflowFiles } from "../support/airflow-files";
import { airflowReads, type AirflowReads, type PodCase } from "../support/airflow-reads";
import { venvProgram } from "../support/python";
import { tempDir } from "../support/temp";
import { TASK_POD_AFFINITY } from "../../constructs/airflow/task-pod-affinity";
import { placementOf, shippedPlacement, type PodAffinitySpec } from "../../tools/capacity/shipped-placement";
import { FIXTURE_POOL, fixtureEnvironment } from "./airflow-fixture";

// The pods the KubernetesExecutor would submit, built by the cncf-kubernetes provider's own code
// (test/helm/airflow-python/task_pods.py) from the pod template and airflow_local_settings.py
// real Helm renders for the tests' fixture environment, and a DAG's executor_config; each
// validated against the Kubernetes schema of the environment's cluster version.

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: Record<string, unknown>;
}
interface Container {
  name: string;
  env?: EnvVar[];
  envFrom?: Record<string, unknown>[];
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
}
interface Pod {
  metadata: { name: string; labels: Record<string, string>; annotations: Record<string, string> };
  spec: { containers: Container[]; initContainers?: Container[]; nodeSelector?: Record<string, string>; tolerations?: Record<string, string>[]; serviceAccountName?: string; affinity?: PodAffinitySpec & Record<string, unknown> };
}

const started = Date.now();
const config = fixtureEnvironment();
const POOL_LABEL = "airflow-platform/pool";
const ZONE = { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: "topology.kubernetes.io/zone", operator: "In", values: ["eu-west-1a"] }] }] } };
const big = { requests: { cpu: "3", memory: "40Gi" }, limits: { cpu: "6", memory: "40Gi" } };
const cases: PodCase[] = [
  { name: "plain", dagId: "nightly_load", taskId: "extract" },
  // As README's "Choosing a pool" has a DAG write it: a node selector and the base container's size.
  { name: "memory", dagId: "nightly_load", taskId: "build_360", podOverride: { spec: { nodeSelector: { [POOL_LABEL]: FIXTURE_POOL }, containers: [{ name: "base", resources: big }] } } },
  { name: "mapped", dagId: "nightly_load", taskId: "load_partition", mapIndex: 3 },
  // A pod_override with an affinity of its own replaces the template's whole: the hook puts the packing back.
  { name: "own-affinity", dagId: "nightly_load", taskId: "pinned", podOverride: { spec: { affinity: { nodeAffinity: ZONE }, containers: [{ name: "base" }] } } },
  { name: "unknown-pool", dagId: "nightly_load", taskId: "lost", podOverride: { spec: { nodeSelector: { [POOL_LABEL]: "nosuchpool" }, containers: [{ name: "base" }] } } },
];
let files: AirflowFiles;
let reads: AirflowReads;
let validation = "";

before(async () => {
  ({ files, reads } = await airflowReads(config, { podCases: cases }));
  const dir = tempDir("task-pods");
  const paths = Object.entries(reads.pods ?? {}).flatMap(([name, built]) => {
    if (!built.pod) return [];
    const path = join(dir, `${name}.json`);
    writeFileSync(path, JSON.stringify(built.pod));
    return [path];
  });
  const validate = venvProgram("tools", "kubernetes-validate");
  const result = await promisify(execFile)(validate, ["--kubernetes-version", `${config.cluster.version}.0`, "--strict", ...paths]).catch((error: { stdout?: string; stderr?: string }) => ({ stdout: `${error.stdout ?? ""}${error.stderr ?? ""}`, failed: true }));
  validation = "failed" in result ? `FAILED ${result.stdout}` : result.stdout;
});

after(() => console.log(`# task pod suite: ${cases.length} pods built by Airflow and validated in ${((Date.now() - started) / 1000).toFixed(1)} s`));

function pod(name: string): Pod {
  const built = reads.pods?.[name];
  assert.ok(built?.pod, `${name}: ${built?.error ?? "no pod"}`);
  return built.pod as unknown as Pod;
}
const base = (p: Pod) => p.spec.containers.find((c) => c.name === "base");
const placement = (pool: string) => {
  const found = taskPoolPlacements(config).find((p) => p.pool === pool);
  assert.ok(found, pool);
  return found;
};
const defaultPool = () => taskPoolPlacements(config)[0].pool;

describe("task pods the KubernetesExecutor builds for the fixture environment", () => {
  it("are valid Pods for the cluster's Kubernetes version (kubernetes-validate, strict)", () => {
    assert.doesNotMatch(validation, /FAILED|ERROR|error/);
    assert.equal((validation.match(/ passed for resource pod\//g) ?? []).length, 4, validation);
  });

  it("come from the rendered pod template: its service account, git-sync init container and log volume", () => {
    const template = parse(files.podTemplate) as Pod;
    for (const name of ["plain", "memory", "mapped"]) {
      const p = pod(name);
      assert.equal(p.spec.serviceAccountName, template.spec.serviceAccountName, name);
      assert.deepEqual(p.spec.initContainers?.map((c) => c.name), template.spec.initContainers?.map((c) => c.name), name);
      assert.match(p.metadata.name, /^nightly-load-/, "named by Airflow from the DAG and task");
    }
  });

  it("carry no secret in any container's environment", () => {
    for (const name of ["plain", "memory", "mapped"]) {
      const p = pod(name);
      for (const c of [...p.spec.containers, ...(p.spec.initContainers ?? [])]) {
        assert.deepEqual(c.envFrom ?? [], [], `${name}/${c.name} envFrom`);
        const secretish = (c.env ?? []).filter((e) => e.valueFrom?.secretKeyRef !== undefined || /FERNET|SQL_ALCHEMY|SECRET|JWT|PASSWORD|CONN/.test(e.name));
        assert.deepEqual(secretish, [], `${name}/${c.name}`);
      }
    }
  });

  it("a plain task: the default pool's selector and toleration, safe-to-evict false, the environment's task pod size", () => {
    const p = pod("plain");
    const tasks = placement(defaultPool());
    assert.deepEqual(p.spec.nodeSelector, tasks.nodeSelector);
    assert.ok(p.spec.tolerations?.some((t) => t.key === tasks.taint.key && t.value === tasks.taint.value && t.effect === tasks.taint.effect), JSON.stringify(p.spec.tolerations));
    assert.equal(p.metadata.annotations["cluster-autoscaler.kubernetes.io/safe-to-evict"], "false");
    const size = config.airflow.taskPod;
    assert.deepEqual(base(p)?.resources, { requests: { cpu: `${size.cpuMillicores}m`, memory: `${size.memoryMiB}Mi` }, limits: { cpu: `${size.cpuLimitMillicores}m`, memory: `${size.memoryLimitMiB}Mi` } });
  });

  it("a task that chooses the fixture's memory pool: that pool's selector and toleration, its own size, safe-to-evict false", () => {
    const p = pod("memory");
    const chosen = placement(FIXTURE_POOL);
    assert.deepEqual(p.spec.nodeSelector, chosen.nodeSelector);
    assert.ok(p.spec.tolerations?.some((t) => t.key === chosen.taint.key && t.value === chosen.taint.value && t.effect === chosen.taint.effect), JSON.stringify(p.spec.tolerations));
    assert.equal(p.metadata.annotations["cluster-autoscaler.kubernetes.io/safe-to-evict"], "false");
    assert.deepEqual(base(p)?.resources, big);
  });

  it("a mapped task: its map index on the pod, the default pool's placement", () => {
    const p = pod("mapped");
    assert.equal(p.metadata.labels.map_index, "3");
    assert.equal(p.metadata.annotations.map_index, "3");
    assert.deepEqual(p.spec.nodeSelector, placement(defaultPool()).nodeSelector);
    assert.equal(p.metadata.annotations["cluster-autoscaler.kubernetes.io/safe-to-evict"], "false");
  });

  it("prefer nodes running other task pods, selected by a label Airflow puts on them: the placement the capacity replay assumes", () => {
    for (const name of ["plain", "memory", "mapped", "own-affinity"]) {
      const p = pod(name);
      assert.deepEqual(p.spec.affinity?.podAffinity, TASK_POD_AFFINITY.podAffinity, name);
      // The pod's own labels, as the executor set them, are what the term selects: task pods draw each other.
      assert.equal(placementOf(p.spec.affinity, p.metadata.labels), shippedPlacement(), `${name}: ${JSON.stringify(p.metadata.labels)}`);
    }
    assert.equal(shippedPlacement(), "pack");
    assert.deepEqual(pod("own-affinity").spec.affinity?.nodeAffinity, ZONE, "the override's own affinity is kept");
  });

  it("a task that chooses a pool the environment lacks is refused by the hook, through the executor's own error", () => {
    const refused = reads.pods?.["unknown-pool"];
    assert.ok(refused?.error, JSON.stringify(refused));
    assert.match(refused.error, /^PodMutationHookException: UnknownTaskPool: .*'nosuchpool'/);
    assert.match(refused.error, new RegExp(FIXTURE_POOL));
  });
});

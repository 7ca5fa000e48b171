import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { before, describe, it } from "node:test";
import { podMutationHook, SAFE_TO_EVICT_ANNOTATION, UNKNOWN_POOL_ERROR } from "../../constructs/airflow/pod-mutation-hook";
import { NODE_POOL_LABEL, TASK_POOL_TAINT_KEY } from "../../constructs/cluster/node-placement";
import { TASK_POD_AFFINITY } from "../../constructs/airflow/task-pod-affinity";
import { loadEnvironments } from "../../environments";
import { airflowValuesFor } from "../../configuration/derived/airflow-values";
import { taskPoolPlacements } from "../../configuration/derived/task-pools";
import { venvPython } from "../support/python";
import { tempDir } from "../support/temp";

// The hook as prod ships it (in its chart values), run by real Python against the official
// Kubernetes client's model objects: the airflow venv's, the version the platform's image pins.

const PYTHON = venvPython("airflow");

// Each case builds a pod, runs the hook on it, then runs it again; the pods come back serialized
// the way the Kubernetes API would receive them.
const CASES = `
import importlib.util, json, sys
from kubernetes.client import ApiClient, models as k8s

spec = importlib.util.spec_from_file_location("airflow_local_settings", sys.argv[1])
hook = importlib.util.module_from_spec(spec)
spec.loader.exec_module(hook)
api = ApiClient()

def model_affinity(data):
    # The template's affinity as the provider reads it from YAML: model objects.
    class Response:
        def __init__(self, body):
            self.data = body
    return api.deserialize(Response(json.dumps(data)), "V1Affinity")

def container():
    return [k8s.V1Container(name="base", image="apache/airflow:3.1.7")]

def pod(node_selector=None, tolerations=None, annotations=None, name="task-pod", affinity=None):
    return k8s.V1Pod(
        metadata=k8s.V1ObjectMeta(name=name, annotations=annotations),
        spec=k8s.V1PodSpec(containers=container(), node_selector=node_selector, tolerations=tolerations, affinity=affinity),
    )

PACKING = json.loads(sys.argv[2])
ZONE = k8s.V1NodeAffinity(required_during_scheduling_ignored_during_execution=k8s.V1NodeSelector(node_selector_terms=[
    k8s.V1NodeSelectorTerm(match_expressions=[k8s.V1NodeSelectorRequirement(key="topology.kubernetes.io/zone", operator="In", values=["eu-west-1a"])])]))
NEAR_CACHE = k8s.V1WeightedPodAffinityTerm(weight=10, pod_affinity_term=k8s.V1PodAffinityTerm(
    label_selector=k8s.V1LabelSelector(match_labels={"app": "cache"}), topology_key="kubernetes.io/hostname"))

TASKS = k8s.V1Toleration(key="${TASK_POOL_TAINT_KEY}", operator="Equal", value="true", effect="NoSchedule")
cases = {
    "default": lambda: pod(),
    "template": lambda: pod({"${NODE_POOL_LABEL}": "tasks"}, [TASKS], {"team": "data"}, affinity=model_affinity(PACKING)),
    # A pod_override with its own affinity replaces the template's (the provider merges spec fields shallowly).
    "override-affinity": lambda: pod(affinity=k8s.V1Affinity(node_affinity=ZONE)),
    "own-pod-affinity": lambda: pod(affinity=k8s.V1Affinity(pod_affinity=k8s.V1PodAffinity(preferred_during_scheduling_ignored_during_execution=[NEAR_CACHE]))),
    "affinity-dict": lambda: pod(affinity={"nodeAffinity": api.sanitize_for_serialization(ZONE)}),
    "chosen": lambda: pod({"${NODE_POOL_LABEL}": "memory", "disk": "ssd"}, [TASKS]),
    "unknown": lambda: pod({"${NODE_POOL_LABEL}": "gpu"}),
    "system": lambda: pod({"${NODE_POOL_LABEL}": "system"}),
    "other-value": lambda: pod(tolerations=[k8s.V1Toleration(key="${TASK_POOL_TAINT_KEY}", operator="Equal", value="false", effect="NoSchedule")]),
    "other-effect": lambda: pod(tolerations=[k8s.V1Toleration(key="${TASK_POOL_TAINT_KEY}", operator="Equal", value="true", effect="NoExecute")]),
    "exists": lambda: pod(tolerations=[k8s.V1Toleration(key="${TASK_POOL_TAINT_KEY}", operator="Exists")]),
    "dicts": lambda: pod({"${NODE_POOL_LABEL}": "memory"}, [{"key": "${TASK_POOL_TAINT_KEY}", "operator": "Equal", "value": "true", "effect": "NoSchedule"}, {"key": "dedicated", "operator": "Exists"}]),
    "dict-match": lambda: pod(tolerations=[{"key": "${TASK_POOL_TAINT_KEY}", "operator": "Equal", "value": "true", "effect": "NoSchedule"}]),
    "bare": lambda: k8s.V1Pod(),
    "no-metadata": lambda: k8s.V1Pod(spec=k8s.V1PodSpec(containers=container())),
    "no-spec": lambda: k8s.V1Pod(metadata=k8s.V1ObjectMeta(name="bare")),
}

results = {}
for name, build in cases.items():
    p = build()
    try:
        hook.pod_mutation_hook(p)
    except Exception as error:
        results[name] = {"error": type(error).__name__, "message": str(error)}
        continue
    first = api.sanitize_for_serialization(p)
    hook.pod_mutation_hook(p)
    results[name] = {"pod": first, "again": api.sanitize_for_serialization(p)}
print(json.dumps(results))
`;

interface SerializedPod {
  readonly metadata?: { readonly annotations?: Record<string, string> };
  readonly spec?: { readonly nodeSelector?: Record<string, string>; readonly tolerations?: Record<string, string>[]; readonly affinity?: Record<string, unknown> };
}
interface CaseResult {
  readonly pod?: SerializedPod;
  readonly again?: SerializedPod;
  readonly error?: string;
  readonly message?: string;
}

describe("the pod mutation hook, run by Python against kubernetes.client", () => {
  const [prod] = loadEnvironments("prod");
  let results: Record<string, CaseResult>;

  before(() => {
    const probe = spawnSync(PYTHON, ["-c", "import kubernetes"], { encoding: "utf8" });
    assert.equal(probe.status, 0, `${PYTHON} with the Kubernetes client is required: npm run install-python (${probe.stderr ?? probe.error})`);
    const dir = tempDir("pod-mutation-hook-");
    // The hook exactly as the chart receives it in prod's values.
    const hookFile = join(dir, "airflow_local_settings.py");
    writeFileSync(hookFile, String(airflowValuesFor(prod).airflowLocalSettings));
    const run = spawnSync(PYTHON, ["-c", CASES, hookFile, JSON.stringify(TASK_POD_AFFINITY)], { encoding: "utf8" });
    assert.equal(run.status, 0, run.stderr);
    results = JSON.parse(run.stdout) as Record<string, CaseResult>;
  });

  const mutated = (name: string): SerializedPod => {
    const result = results[name];
    assert.ok(result.pod, `${name} was not mutated: ${JSON.stringify(result)}`);
    return result.pod;
  };
  const tolerations = (name: string) => mutated(name).spec?.tolerations ?? [];
  const tasksToleration = { key: TASK_POOL_TAINT_KEY, operator: "Equal", value: "true", effect: "NoSchedule" };

  it("puts a pod that chooses no pool on tasks, tolerating its taint, never evictable", () => {
    const pod = mutated("default");
    assert.deepEqual(pod.spec?.nodeSelector, { [NODE_POOL_LABEL]: "tasks" });
    assert.deepEqual(pod.spec?.tolerations, [tasksToleration]);
    assert.deepEqual(pod.metadata?.annotations, { [SAFE_TO_EVICT_ANNOTATION]: "false" });
  });

  it("leaves a pod from the default template as it was, but for the annotation", () => {
    const pod = mutated("template");
    assert.deepEqual(pod.spec?.nodeSelector, { [NODE_POOL_LABEL]: "tasks" });
    assert.deepEqual(pod.spec?.tolerations, [tasksToleration]);
    assert.deepEqual(pod.metadata?.annotations, { team: "data", [SAFE_TO_EVICT_ANNOTATION]: "false" });
  });

  it("keeps a pool the task chose and adds that pool's toleration", () => {
    const pod = mutated("chosen");
    assert.deepEqual(pod.spec?.nodeSelector, { [NODE_POOL_LABEL]: "memory", disk: "ssd" });
    assert.deepEqual(pod.spec?.tolerations, [tasksToleration, { key: TASK_POOL_TAINT_KEY, operator: "Equal", value: "memory", effect: "NoSchedule" }]);
  });

  it("refuses a pool the environment does not have, naming it and the pools there are", () => {
    assert.equal(results.unknown.error, UNKNOWN_POOL_ERROR);
    assert.match(results.unknown.message ?? "", /pod task-pod chose node pool 'gpu' \(node selector airflow-platform\/pool\), which this environment does not have; its task pools are: memory, tasks/);
    assert.equal(results.system.error, UNKNOWN_POOL_ERROR, "the system group is not a task pool");
  });

  it("adds the toleration when one for the taint's key has another value or effect", () => {
    assert.deepEqual(tolerations("other-value").slice(1), [tasksToleration]);
    assert.deepEqual(tolerations("other-effect").slice(1), [tasksToleration]);
  });

  it("adds nothing when an existing toleration already matches, Exists or dict", () => {
    assert.deepEqual(tolerations("exists"), [{ key: TASK_POOL_TAINT_KEY, operator: "Exists" }]);
    assert.deepEqual(tolerations("dict-match"), [tasksToleration]);
  });

  it("reads tolerations given as dicts and keeps them", () => {
    assert.deepEqual(tolerations("dicts"), [
      tasksToleration,
      { key: "dedicated", operator: "Exists" },
      { key: TASK_POOL_TAINT_KEY, operator: "Equal", value: "memory", effect: "NoSchedule" },
    ]);
  });

  it("gives a pod without metadata or spec both, without raising", () => {
    for (const name of ["bare", "no-metadata", "no-spec"]) {
      const pod = mutated(name);
      assert.deepEqual(pod.spec?.nodeSelector, { [NODE_POOL_LABEL]: "tasks" }, name);
      assert.deepEqual(pod.spec?.tolerations, [tasksToleration], name);
      assert.equal(pod.metadata?.annotations?.[SAFE_TO_EVICT_ANNOTATION], "false", name);
    }
  });

  it("gives every pod the packing preference, the template's own term exactly once", () => {
    for (const name of ["default", "template", "chosen", "other-value", "exists", "dicts", "bare", "no-metadata", "no-spec"]) {
      assert.deepEqual(mutated(name).spec?.affinity, TASK_POD_AFFINITY, name);
    }
  });

  it("puts the packing preference back beside an affinity a pod_override set, keeping it", () => {
    const zone = { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: "topology.kubernetes.io/zone", operator: "In", values: ["eu-west-1a"] }] }] } };
    assert.deepEqual(mutated("override-affinity").spec?.affinity, { nodeAffinity: zone, ...TASK_POD_AFFINITY });
    assert.deepEqual(mutated("affinity-dict").spec?.affinity, { nodeAffinity: zone, ...TASK_POD_AFFINITY });
    const nearCache = { weight: 10, podAffinityTerm: { labelSelector: { matchLabels: { app: "cache" } }, topologyKey: "kubernetes.io/hostname" } };
    assert.deepEqual(mutated("own-pod-affinity").spec?.affinity, { podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [nearCache, ...TASK_POD_AFFINITY.podAffinity.preferredDuringSchedulingIgnoredDuringExecution] } });
  });

  it("changes nothing when run a second time", () => {
    for (const [name, result] of Object.entries(results)) {
      if (result.error) continue;
      assert.deepEqual(result.again, result.pod, name);
    }
  });

  it("knows exactly the environment's task pools", () => {
    const hook = podMutationHook(taskPoolPlacements(prod));
    assert.match(hook, /^POOL_TAINTS = \{\n {4}"tasks": \("airflow-platform\/tasks", "true", "NoSchedule"\),\n {4}"memory": \("airflow-platform\/tasks", "memory", "NoSchedule"\),\n\}$/m);
  });
});

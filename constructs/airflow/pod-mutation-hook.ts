import { DEFAULT_TASK_POOL, NODE_POOL_LABEL, type TaskPoolPlacement } from "../cluster/node-placement";
import { NODE_TOPOLOGY_KEY, TASK_POD_AFFINITY_WEIGHT, TASK_POD_LABEL } from "./task-pod-affinity";

/** The annotation that tells the Cluster Autoscaler never to evict a pod to empty a node. */
export const SAFE_TO_EVICT_ANNOTATION = "cluster-autoscaler.kubernetes.io/safe-to-evict";

/** The exception the hook raises for a pool the environment does not have; Airflow fails the task with it. */
export const UNKNOWN_POOL_ERROR = "UnknownTaskPool";

const py = (text: string): string => JSON.stringify(text);

/**
 * `airflow_local_settings.py` with a `pod_mutation_hook`. Airflow calls it for every pod it
 * launches, KubernetesExecutor task pods and KubernetesPodOperator pods alike, after merging the
 * pod template, the executor's pod and the task's `pod_override`:
 * - a pod whose node selector names one of the environment's task pools (`airflow-platform/pool`)
 *   stays there; a pod that names none goes to the default pool `tasks`;
 * - a pod that names a pool the environment lacks (a typo, `system`, a pool of another
 *   environment) is refused with `UnknownTaskPool`: the KubernetesExecutor fails the task ("Pod
 *   Mutation Hook failed for the task … Failing task" in the scheduler's log) and
 *   KubernetesPodOperator fails it before creating the pod. Moving it to `tasks` instead would
 *   leave a task that needs a big node Pending all night with no error anywhere;
 * - the pod tolerates its pool's taint, by Kubernetes' own matching rule, so a toleration for the
 *   taint's key with another value or effect does not count, and one that already matches is not
 *   added twice;
 * - the pod carries `safe-to-evict: "false"`, so a scale-down never kills a running task;
 * - the pod prefers nodes that run task pods (TASK_POD_AFFINITY, the packing): a `pod_override`
 *   that sets its own affinity replaces the template's whole (the provider merges a spec's fields
 *   shallowly), and KubernetesPodOperator pods never had it, so the term is added beside whatever
 *   affinity the pod has, unless a term with the same selector and topology is there already.
 * Tolerations and the affinity may be model objects or dicts; a pod without metadata or spec gets them.
 * Running the hook twice changes nothing. `test/unit/pod-mutation-hook.test.ts` runs it in Python
 * against `kubernetes.client` objects.
 * @see https://airflow.apache.org/docs/apache-airflow/stable/administration-and-deployment/cluster-policies.html
 */
export function podMutationHook(pools: readonly TaskPoolPlacement[]): string {
  if (!pools.some((p) => p.pool === DEFAULT_TASK_POOL)) {
    throw new Error(`podMutationHook: the default pool "${DEFAULT_TASK_POOL}" must be among the task pools (${pools.map((p) => p.pool).join(", ")})`);
  }
  const taints = pools.map((p) => `    ${py(p.pool)}: (${py(p.taint.key)}, ${py(p.taint.value)}, ${py(p.taint.effect)}),`);
  return [
    "# Written by airflow-platform (constructs/airflow/pod-mutation-hook.ts) from the environment's task pools.",
    "from kubernetes.client import models as k8s",
    "",
    `POOL_LABEL = ${py(NODE_POOL_LABEL)}`,
    `DEFAULT_POOL = ${py(DEFAULT_TASK_POOL)}`,
    `SAFE_TO_EVICT = ${py(SAFE_TO_EVICT_ANNOTATION)}`,
    "# Task pool -> (taint key, taint value, taint effect) of its nodes.",
    "POOL_TAINTS = {",
    ...taints,
    "}",
    "# The packing preference (constructs/airflow/task-pod-affinity.ts).",
    `PACK_WEIGHT = ${TASK_POD_AFFINITY_WEIGHT}`,
    `PACK_LABEL = ${py(TASK_POD_LABEL)}`,
    `PACK_TOPOLOGY = ${py(NODE_TOPOLOGY_KEY)}`,
    "",
    "",
    `class ${UNKNOWN_POOL_ERROR}(ValueError):`,
    '    """A pod chose a node pool this environment does not have."""',
    "",
    "",
    "def _field(obj, name):",
    "    if isinstance(obj, dict):",
    "        return obj.get(name)",
    "    return getattr(obj, name, None)",
    "",
    "",
    "def _tolerates(toleration, key, value, effect):",
    "    # Kubernetes' Toleration.ToleratesTaint: an empty effect or key matches any.",
    '    if _field(toleration, "effect") and _field(toleration, "effect") != effect:',
    "        return False",
    '    if _field(toleration, "key") and _field(toleration, "key") != key:',
    "        return False",
    '    operator = _field(toleration, "operator") or "Equal"',
    '    if operator == "Exists":',
    "        return True",
    '    return operator == "Equal" and (_field(toleration, "value") or "") == value',
    "",
    "",
    "def _get(obj, snake, camel):",
    "    # Model objects have snake_case attributes; dicts go to the API as written, in camelCase.",
    "    if isinstance(obj, dict):",
    "        return obj.get(camel)",
    "    return getattr(obj, snake, None)",
    "",
    "",
    "def _packs(term):",
    '    pod_term = _get(term, "pod_affinity_term", "podAffinityTerm")',
    '    selector = _get(pod_term, "label_selector", "labelSelector") if pod_term is not None else None',
    '    if selector is None or _get(pod_term, "topology_key", "topologyKey") != PACK_TOPOLOGY:',
    "        return False",
    '    if _get(selector, "match_labels", "matchLabels"):',
    "        return False",
    '    expressions = _get(selector, "match_expressions", "matchExpressions") or []',
    '    return [(_get(e, "key", "key"), _get(e, "operator", "operator"), _get(e, "values", "values")) for e in expressions] == [(PACK_LABEL, "Exists", None)]',
    "",
    "",
    "def _with_packing(affinity):",
    "    if isinstance(affinity, dict):",
    '        pod_affinity = dict(affinity.get("podAffinity") or {})',
    '        terms = list(pod_affinity.get("preferredDuringSchedulingIgnoredDuringExecution") or [])',
    "        if not any(_packs(t) for t in terms):",
    '            terms.append({"weight": PACK_WEIGHT, "podAffinityTerm": {"labelSelector": {"matchExpressions": [{"key": PACK_LABEL, "operator": "Exists"}]}, "topologyKey": PACK_TOPOLOGY}})',
    '        pod_affinity["preferredDuringSchedulingIgnoredDuringExecution"] = terms',
    '        return {**affinity, "podAffinity": pod_affinity}',
    "    affinity = affinity or k8s.V1Affinity()",
    "    pod_affinity = affinity.pod_affinity or k8s.V1PodAffinity()",
    "    terms = list(pod_affinity.preferred_during_scheduling_ignored_during_execution or [])",
    "    if not any(_packs(t) for t in terms):",
    "        selector = k8s.V1LabelSelector(match_expressions=[k8s.V1LabelSelectorRequirement(key=PACK_LABEL, operator=\"Exists\")])",
    "        terms.append(k8s.V1WeightedPodAffinityTerm(weight=PACK_WEIGHT, pod_affinity_term=k8s.V1PodAffinityTerm(label_selector=selector, topology_key=PACK_TOPOLOGY)))",
    "    pod_affinity.preferred_during_scheduling_ignored_during_execution = terms",
    "    affinity.pod_affinity = pod_affinity",
    "    return affinity",
    "",
    "",
    "def pod_mutation_hook(pod):",
    "    if pod.metadata is None:",
    "        pod.metadata = k8s.V1ObjectMeta()",
    "    if pod.spec is None:",
    "        pod.spec = k8s.V1PodSpec(containers=[])",
    "    spec = pod.spec",
    "    selector = dict(spec.node_selector or {})",
    "    pool = selector.get(POOL_LABEL) or DEFAULT_POOL",
    "    if pool not in POOL_TAINTS:",
    `        raise ${UNKNOWN_POOL_ERROR}(`,
    '            "pod %s chose node pool %r (node selector %s), which this environment does not have; "',
    '            "its task pools are: %s" % (pod.metadata.name, pool, POOL_LABEL, ", ".join(sorted(POOL_TAINTS)))',
    "        )",
    "    selector[POOL_LABEL] = pool",
    "    spec.node_selector = selector",
    "    key, value, effect = POOL_TAINTS[pool]",
    "    tolerations = list(spec.tolerations or [])",
    "    if not any(_tolerates(t, key, value, effect) for t in tolerations):",
    '        tolerations.append(k8s.V1Toleration(key=key, operator="Equal", value=value, effect=effect))',
    "    spec.tolerations = tolerations",
    "    spec.affinity = _with_packing(spec.affinity)",
    '    pod.metadata.annotations = {**(pod.metadata.annotations or {}), SAFE_TO_EVICT: "false"}',
    "",
  ].join("\n");
}

import { NODE_TOPOLOGY_KEY, TASK_POD_AFFINITY, TASK_POD_LABEL } from "../../constructs/airflow/task-pod-affinity";
import type { Placement } from "./scheduler-scoring";

// The placement the replay assumes unless told otherwise is read from what the release ships: the
// affinity task pods carry (the pod template's, which the pod mutation hook keeps). A release
// without it spreads; with a preferred pod affinity on the node's hostname that selects task pods'
// own labels, it packs. test/helm/task-pods.test.ts reads the placement off the pods Airflow's own
// code builds and compares it with this.

interface LabelSelectorRequirement {
  readonly key: string;
  readonly operator: string;
  readonly values?: readonly string[];
}
interface LabelSelector {
  readonly matchLabels?: Readonly<Record<string, string>>;
  readonly matchExpressions?: readonly LabelSelectorRequirement[];
}
interface WeightedTerm {
  readonly weight?: number;
  readonly podAffinityTerm?: { readonly labelSelector?: LabelSelector; readonly topologyKey?: string; readonly namespaces?: readonly string[]; readonly namespaceSelector?: unknown };
}
/** A pod's `spec.affinity`, as the API serializes it. */
export interface PodAffinitySpec {
  readonly podAffinity?: { readonly preferredDuringSchedulingIgnoredDuringExecution?: readonly WeightedTerm[] };
}

/** Kubernetes' label selector semantics: every matchLabels pair and every expression holds (an absent selector matches nothing). */
export function selectorMatches(selector: LabelSelector | undefined, labels: Readonly<Record<string, string>>): boolean {
  if (!selector) return false;
  const pairs = Object.entries(selector.matchLabels ?? {}).every(([key, value]) => labels[key] === value);
  const expressions = (selector.matchExpressions ?? []).every((e) => {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    if (e.operator === "Exists") return has;
    if (e.operator === "DoesNotExist") return !has;
    if (e.operator === "In") return has && (e.values ?? []).includes(labels[e.key]);
    if (e.operator === "NotIn") return !has || !(e.values ?? []).includes(labels[e.key]);
    return false;
  });
  return pairs && expressions;
}

/**
 * What kube-scheduler does with pods that carry this affinity and these labels: `pack` when a
 * preferred pod-affinity term with a positive weight, on the node's hostname, in the pod's own
 * namespace, selects the pods' own labels (so each task pod is drawn to the others), else
 * `least-allocated`.
 */
export function placementOf(affinity: PodAffinitySpec | undefined, labels: Readonly<Record<string, string>>): Placement {
  const terms = affinity?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? [];
  const packs = terms.some((t) => (t.weight ?? 0) > 0 && t.podAffinityTerm?.topologyKey === NODE_TOPOLOGY_KEY && t.podAffinityTerm.namespaces === undefined && t.podAffinityTerm.namespaceSelector === undefined && selectorMatches(t.podAffinityTerm.labelSelector, labels));
  return packs ? "pack" : "least-allocated";
}

/** The release's placement: task pods carry TASK_POD_AFFINITY, and the provider labels each with its DAG. */
export function shippedPlacement(): Placement {
  return placementOf(TASK_POD_AFFINITY, { [TASK_POD_LABEL]: "a_dag" });
}

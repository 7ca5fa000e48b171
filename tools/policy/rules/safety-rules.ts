import { parse } from "yaml";
import { SAFE_TO_EVICT_ANNOTATION } from "../../../constructs/airflow/pod-mutation-hook";
import { findSecrets } from "../../../lib/secret-scan";
import type { PolicyRule, ResourceView } from "../types";
import { block, list } from "./helpers";

function helmValues(release: ResourceView): unknown[] {
  return list(release.config.values).flatMap((text) => {
    try {
      return [parse(String(text))];
    } catch {
      return [];
    }
  });
}

interface AirflowTaskPodValues {
  readonly podTemplate?: unknown;
  readonly workers?: { readonly safeToEvict?: unknown };
  readonly airflowLocalSettings?: unknown;
}

/**
 * What makes KubernetesExecutor pods evictable, if anything. With `podTemplate` set the chart
 * renders that template and reads no `workers.*` value for task pods, so the annotation must be
 * in it; without it the chart's own template writes `workers.safeToEvict`.
 */
function executorPodsEvictable(values: AirflowTaskPodValues): string | undefined {
  if (values.podTemplate === undefined || values.podTemplate === null) {
    return values.workers?.safeToEvict === false ? undefined : "workers.safeToEvict is not false (the chart's pod template is in use)";
  }
  let template: unknown;
  try {
    template = parse(String(values.podTemplate));
  } catch {
    return "podTemplate is not YAML";
  }
  const annotations = (template as { metadata?: { annotations?: Record<string, unknown> } } | null)?.metadata?.annotations;
  return annotations?.[SAFE_TO_EVICT_ANNOTATION] === "false" ? undefined : `podTemplate does not annotate task pods ${SAFE_TO_EVICT_ANNOTATION}: "false"`;
}

/** Names that call for `sensitive = true` on a variable or output; ids, ARNs and names are not secrets. */
function soundsSecret(name: string): boolean {
  if (/_(arn|arns|id|ids|name)$/i.test(name)) return false;
  return /(password|secret|token|api_key|app_key|private_key)/i.test(name);
}

/** What the scanners do not check: data that cannot be lost, tasks that cannot be evicted, no secrets. */
export const safetyRules: PolicyRule[] = [
  {
    id: "stateful-prevent-destroy",
    rationale: "The database, the log file system and the keys that encrypt them survive a mistaken destroy.",
    types: ["aws_db_instance", "aws_efs_file_system", "aws_kms_key"],
    stages: ["staging", "prod"],
    check: (r) => (block(r.config.lifecycle)?.prevent_destroy === true ? undefined : "no lifecycle.prevent_destroy"),
  },
  {
    id: "task-pods-not-evictable",
    rationale: "The autoscaler never evicts a running task to empty a node.",
    types: ["helm_release"],
    check: (r) => {
      if (r.config.chart !== "airflow") return undefined;
      const [values] = helmValues(r) as AirflowTaskPodValues[];
      const executorPods = executorPodsEvictable(values ?? {});
      if (executorPods) return executorPods;
      return String(values?.airflowLocalSettings ?? "").includes(SAFE_TO_EVICT_ANNOTATION) ? undefined : "KubernetesPodOperator pods are not protected by the pod mutation hook";
    },
  },
  {
    id: "no-secret-literals",
    rationale: "No password, token or key is written into configuration or Helm values.",
    types: ["*"],
    check: (r) => {
      const inValues = r.type === "helm_release" ? helmValues(r).flatMap((v) => findSecrets(v, "values")) : [];
      const findings = [...findSecrets(r.config), ...inValues];
      return findings.length > 0 ? findings.map((f) => `${f.path}: ${f.reason}`).join("; ") : undefined;
    },
  },
  {
    id: "sensitive-marked",
    rationale: "Variables and outputs that carry secrets are marked sensitive.",
    types: ["variable", "output"],
    check: (r) => {
      const name = r.address.slice(r.address.indexOf(".") + 1);
      return soundsSecret(name) && r.config.sensitive !== true ? `${r.type} ${name} is not marked sensitive` : undefined;
    },
  },
];

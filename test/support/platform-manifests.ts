import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { dataFile } from "../../lib/data-files";
import type { EnvironmentConfig } from "../../configuration/schema/environment-config";
import { infrastructureStackName, platformStackName } from "../../configuration/derived/construct-paths";
import { airflowValuesFor } from "../../configuration/derived/airflow-values";
import { datadogAgentValuesFor } from "../../configuration/derived/datadog-agent";
import { DATADOG_NAMESPACE } from "../../constructs/datadog/datadog-agent-release";
import { stackReleaseValues } from "../../tools/policy/checkov/stack-release-values";
import { chartCopy, helmTemplate, type Manifest } from "./helm";
import { synthesize, type StackJson } from "./synth";
import { synthesizedManifests } from "./synthesized-manifests";

// Everything an environment's platform stack puts in the cluster, as the real tools produce it:
// the Airflow and Datadog releases rendered by Helm 3.17.2 from the pinned charts (sub-charts
// included), the Kubernetes objects the stack synthesizes, and the task pod template the
// KubernetesExecutor starts every task from. The Cluster Autoscaler's and the Load Balancer
// Controller's releases are rendered from their charts in data/ with the values of their
// helm_release in the synthesized platform stack (CRDs included: Helm installs a chart's crds/).

export interface PlatformManifests {
  readonly config: EnvironmentConfig;
  readonly airflow: readonly Manifest[];
  readonly datadog: readonly Manifest[];
  /** The Cluster Autoscaler's and the Load Balancer Controller's releases, in kube-system. */
  readonly autoscaler: readonly Manifest[];
  readonly loadBalancerController: readonly Manifest[];
  readonly synthesized: readonly Manifest[];
  /** All of them together, each object with its namespace filled in as Helm would install it. */
  readonly all: readonly Manifest[];
  readonly taskPodTemplate: Manifest;
  readonly platformStack: StackJson;
  readonly infrastructureStack: StackJson;
}

const KUBE_SYSTEM = "kube-system";
const CLUSTER_SCOPED = new Set(["Namespace", "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition", "PersistentVolume", "StorageClass", "PriorityClass", "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration", "APIService", "IngressClass", "IngressClassParams"]);
const inNamespace = (objects: readonly Manifest[], namespace: string) =>
  objects.map((o) => (CLUSTER_SCOPED.has(o.kind) || o.metadata.namespace ? o : ({ ...o, metadata: { ...o.metadata, namespace } } as Manifest)));

let charts: { airflow: string; datadog: string; autoscaler: string; loadBalancerController: string } | undefined;
function chartCopies() {
  charts ??= {
    airflow: chartCopy(dataFile("airflow-chart", "chart"), [dataFile("airflow-chart", "values.yaml"), dataFile("airflow-chart", "values.schema.json")]),
    datadog: chartCopy(dataFile("datadog-chart"), []),
    autoscaler: chartCopy(dataFile("cluster-autoscaler-chart"), []),
    loadBalancerController: chartCopy(dataFile("aws-load-balancer-controller"), []),
  };
  return charts;
}

/** A kube-system release of a chart in data/, rendered with the values its helm_release in the stack holds. */
function kubeSystemRelease(copy: string, release: string, platformStack: StackJson, stackName: string): Manifest[] {
  const { name, version } = parse(readFileSync(join(copy, "Chart.yaml"), "utf8")) as { name: string; version: string };
  return inNamespace(helmTemplate(copy, release, KUBE_SYSTEM, stackReleaseValues(platformStack, stackName, name, version)), KUBE_SYSTEM);
}

/** Renders and synthesizes each environment once (one synthesis for all). */
export function platformManifests(configs: readonly EnvironmentConfig[]): PlatformManifests[] {
  const synthesized = synthesize(configs);
  const copies = chartCopies();
  return configs.map((config) => {
    const airflowValues = airflowValuesFor(config);
    const airflow = inNamespace(helmTemplate(copies.airflow, "airflow", config.airflow.namespace, airflowValues), config.airflow.namespace);
    const datadog = inNamespace(helmTemplate(copies.datadog, "datadog", DATADOG_NAMESPACE, datadogAgentValuesFor(config)), DATADOG_NAMESPACE);
    const stackName = platformStackName(config.name);
    const platformStack = synthesized.stackJson(stackName);
    const fromStack = synthesizedManifests(platformStack);
    const autoscaler = kubeSystemRelease(copies.autoscaler, "cluster-autoscaler", platformStack, stackName);
    const loadBalancerController = kubeSystemRelease(copies.loadBalancerController, "aws-load-balancer-controller", platformStack, stackName);
    const template = parse(String(airflowValues.podTemplate)) as Manifest;
    return {
      config,
      airflow,
      datadog,
      autoscaler,
      loadBalancerController,
      synthesized: fromStack,
      all: [...airflow, ...datadog, ...autoscaler, ...loadBalancerController, ...fromStack],
      taskPodTemplate: { ...template, metadata: { ...template.metadata, namespace: config.airflow.taskNamespace } } as Manifest,
      platformStack,
      infrastructureStack: synthesized.stackJson(infrastructureStackName(config.name)),
    };
  });
}

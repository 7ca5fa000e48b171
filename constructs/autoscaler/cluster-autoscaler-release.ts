import { Release } from "@cdktf/provider-helm/lib/release";
import { stringify } from "yaml";
import type { EksVersion } from "../cluster/addon-versions";
import { nodePoolLabels } from "../cluster/node-placement";
import { Construct } from "../core";
import { CLUSTER_AUTOSCALER_SERVICE_ACCOUNT } from "./cluster-autoscaler-role";
import { CLUSTER_AUTOSCALER_CHART_REPOSITORY, CLUSTER_AUTOSCALER_VERSIONS } from "./autoscaler-versions";

export interface ClusterAutoscalerReleaseProps {
  readonly clusterName: string;
  readonly region: string;
  readonly kubernetesVersion: EksVersion;
  /** IRSA role from the infrastructure stack. */
  readonly roleArn: string;
}

/**
 * Tuned for a nightly burst: scale up as soon as pods are pending; keep idle nodes 15 minutes
 * (not the default 10), because a DAG's next wave of tasks often starts a few minutes after the
 * last one ends and a node costs less than the 3–4 minutes a new one takes to join; prefer the
 * group that leaves the least CPU and memory idle.
 * @see https://github.com/kubernetes/autoscaler/blob/master/cluster-autoscaler/FAQ.md#what-are-the-parameters-to-ca
 */
export const AUTOSCALER_ARGS = {
  "balance-similar-node-groups": true,
  "skip-nodes-with-local-storage": false,
  expander: "least-waste",
  "scale-down-unneeded-time": "15m",
  "scale-down-delay-after-add": "10m",
  "scale-down-utilization-threshold": 0.5,
  "max-node-provision-time": "15m",
  "new-pod-scale-up-delay": "0s",
  // Task pods get up to 10 minutes to finish after SIGTERM (workers.terminationGracePeriodSeconds).
  "max-graceful-termination-sec": 600,
} as const;

/** The Deployment's name, fixed so monitors can find it. */
export const CLUSTER_AUTOSCALER_DEPLOYMENT = "cluster-autoscaler";

const CLOUD_PROVIDER = "aws";
/**
 * The chart names its container `<cloudProvider>-<chart name>` unless `nameOverride` is set (its
 * `cluster-autoscaler.name` helper; `fullnameOverride` names only the Deployment), and Datadog's
 * autodiscovery annotations are keyed by container name.
 * @see https://github.com/kubernetes/autoscaler/blob/master/charts/cluster-autoscaler/templates/_helpers.tpl
 */
export const CLUSTER_AUTOSCALER_CONTAINER = `${CLOUD_PROVIDER}-cluster-autoscaler`;

/** Datadog autodiscovery of the autoscaler's Prometheus endpoint. */
const DATADOG_CHECK = {
  [`ad.datadoghq.com/${CLUSTER_AUTOSCALER_CONTAINER}.checks`]: JSON.stringify({
    kubernetes_cluster_autoscaler: { instances: [{ prometheus_url: "http://%%host%%:8085/metrics" }] },
  }),
};

/** Values for the upstream cluster-autoscaler chart; a pure function of the props. */
export function clusterAutoscalerValues(props: ClusterAutoscalerReleaseProps): Record<string, unknown> {
  return {
    fullnameOverride: CLUSTER_AUTOSCALER_DEPLOYMENT,
    cloudProvider: CLOUD_PROVIDER,
    awsRegion: props.region,
    autoDiscovery: { clusterName: props.clusterName },
    image: { tag: CLUSTER_AUTOSCALER_VERSIONS[props.kubernetesVersion].imageTag },
    rbac: {
      serviceAccount: {
        create: true,
        name: CLUSTER_AUTOSCALER_SERVICE_ACCOUNT.name,
        annotations: { "eks.amazonaws.com/role-arn": props.roleArn },
      },
    },
    extraArgs: { ...AUTOSCALER_ARGS },
    nodeSelector: nodePoolLabels("system"),
    priorityClassName: "system-cluster-critical",
    podAnnotations: { "cluster-autoscaler.kubernetes.io/safe-to-evict": "false", ...DATADOG_CHECK },
    resources: { requests: { cpu: "100m", memory: "600Mi" }, limits: { memory: "600Mi" } },
  };
}

/** The Cluster Autoscaler, from its upstream chart, on the system node group. */
export class ClusterAutoscalerRelease extends Construct {
  constructor(scope: Construct, id: string, props: ClusterAutoscalerReleaseProps) {
    super(scope, id);
    new Release(this, "release", {
      name: "cluster-autoscaler",
      namespace: CLUSTER_AUTOSCALER_SERVICE_ACCOUNT.namespace,
      repository: CLUSTER_AUTOSCALER_CHART_REPOSITORY,
      chart: "cluster-autoscaler",
      version: CLUSTER_AUTOSCALER_VERSIONS[props.kubernetesVersion].chart,
      values: [stringify(clusterAutoscalerValues(props), { lineWidth: 0 })],
      atomic: true,
      timeout: 600,
    });
  }
}

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
 * Tuned for nightly bursts that should bill few idle node-hours, and chosen from replays of the
 * example export and their sweeps (`npm run capacity -- staging --sweep`, docs/capacity.md), which
 * read these very values: the capacity replay's defaults are these flags.
 * - scale-down-delay-after-add 1m (the default 10m): a nightly DAG scales up every few minutes, so
 *   with 10m no empty node was ever removed until the burst ended; 1m still lets a new node's
 *   first pods land before it is judged, and 0m bills no less on the example.
 * - scale-down-unneeded-time 1m (was 15m, then 2m): task pods carry a preferred affinity to each
 *   other's nodes (constructs/airflow/task-pod-affinity.ts), so a new pod goes to the fullest node
 *   with room and a node that empties is one the next wave does not need; the sweep bills less with
 *   1m than with 2m at every pool maximum for the same finish (8.1 against 8.3 node-hours on the
 *   example with staging's old maximum, 7.8 against 8.0 with its maximum of 4), and 5m or 15m bill
 *   8.8 and 10.9.
 * - expander least-waste: of the node groups that fit the pending pods, the one that leaves the
 *   least CPU and memory idle. Each pool is one node group, so it decides between pools only when
 *   a pod fits several; the instance size per pool is the lever instead, and the sweep's smaller
 *   sizes bill fewer node-hours of a smaller node but more Datadog hosts (docs/capacity.md).
 * - scan-interval 10s: the autoscaler's default, stated so the replay reads it from here.
 * @see https://github.com/kubernetes/autoscaler/blob/master/cluster-autoscaler/FAQ.md#what-are-the-parameters-to-ca
 */
export const AUTOSCALER_ARGS = {
  "balance-similar-node-groups": true,
  "skip-nodes-with-local-storage": false,
  expander: "least-waste",
  "scan-interval": "10s",
  "scale-down-unneeded-time": "1m",
  "scale-down-delay-after-add": "1m",
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
 * (data/cluster-autoscaler-chart/templates/_helpers.tpl; test/helm/kube-system-releases.test.ts
 * holds this name to the rendered pod.)
 */
export const CLUSTER_AUTOSCALER_CONTAINER = `${CLOUD_PROVIDER}-cluster-autoscaler`;

/** Datadog autodiscovery of the autoscaler's Prometheus endpoint. */
const DATADOG_CHECK = {
  [`ad.datadoghq.com/${CLUSTER_AUTOSCALER_CONTAINER}.checks`]: JSON.stringify({
    kubernetes_cluster_autoscaler: { instances: [{ prometheus_url: "http://%%host%%:8085/metrics" }] },
  }),
};

/**
 * Pod Security restricted, though kube-system admits privileged pods: the chart sets no security
 * context at all. The image is distroless `static:nonroot` (uid and gid 65532, the autoscaler's
 * Dockerfile at the chart's tag), so it runs as that user; fsGroup lets it read the IRSA token.
 */
const RESTRICTED_SECURITY = {
  securityContext: { runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, fsGroup: 65532, seccompProfile: { type: "RuntimeDefault" } },
  containerSecurityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
} as const;

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
    // The CPU limit is a ceiling ten times the request: a runaway cannot take the system node's
    // CPU from the scheduler and PgBouncer, and a scan of a burst of pending pods is not throttled.
    resources: { requests: { cpu: "100m", memory: "600Mi" }, limits: { cpu: "1000m", memory: "600Mi" } },
    ...RESTRICTED_SECURITY,
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

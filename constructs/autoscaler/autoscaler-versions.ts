import type { EksVersion } from "../cluster/addon-versions";

/** Where the upstream Cluster Autoscaler chart is published. */
export const CLUSTER_AUTOSCALER_CHART_REPOSITORY = "https://kubernetes.github.io/autoscaler";

/**
 * Chart and image per Kubernetes minor: the autoscaler's minor must match the cluster's. Source:
 * kubernetes/autoscaler cluster-autoscaler/charts/cluster-autoscaler/Chart.yaml, gathered 2026-11-24
 * (data/versions.md); 9.59.0's whole chart is in data/cluster-autoscaler-chart/, rendered by the tests.
 * No chart ships a 1.36 image yet, so 1.36 overrides the image tag.
 */
export const CLUSTER_AUTOSCALER_VERSIONS: Readonly<Record<EksVersion, { readonly chart: string; readonly imageTag: string }>> = {
  "1.35": { chart: "9.59.0", imageTag: "v1.35.0" },
  "1.36": { chart: "9.59.0", imageTag: "v1.36.1" },
};

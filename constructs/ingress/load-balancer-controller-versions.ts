/**
 * The AWS Load Balancer Controller's official chart, pinned. Source: aws/eks-charts
 * stable/aws-load-balancer-controller/Chart.yaml at 5239609 (2026-08-03), copied with its
 * values.yaml into data/aws-load-balancer-controller/; a test holds this pin to that file. The
 * controller's minor is independent of the cluster's (it supports the Kubernetes versions EKS does).
 * @see https://github.com/aws/eks-charts/tree/master/stable/aws-load-balancer-controller
 */
export const LOAD_BALANCER_CONTROLLER_CHART = {
  repository: "https://aws.github.io/eks-charts",
  chart: "aws-load-balancer-controller",
  version: "3.5.0",
  appVersion: "v3.5.0",
} as const;

/** The controller's service account, which its IRSA role trusts. */
export const LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT = { namespace: "kube-system", name: "aws-load-balancer-controller" } as const;

/** The IngressClass the chart creates and the Airflow Ingress names. */
export const ALB_INGRESS_CLASS = "alb";

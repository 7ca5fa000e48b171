import { Release } from "@cdktf/provider-helm/lib/release";
import { stringify } from "yaml";
import { nodePoolLabels } from "../cluster/node-placement";
import { Construct, type ITerraformDependable } from "../core";
import { LOAD_BALANCER_CONTROLLER_CHART, LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT } from "./load-balancer-controller-versions";

/**
 * TLS 1.2 and 1.3 only. The controller's own default (ELBSecurityPolicy-2016-08) still accepts
 * TLS 1.0 and 1.1.
 * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html
 */
export const ALB_SSL_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";

export interface LoadBalancerControllerReleaseProps {
  readonly clusterName: string;
  readonly region: string;
  /**
   * Given, not discovered: pods cannot reach the instance metadata service (IMDSv2 with a hop
   * limit of 1), which is where the controller would otherwise look it up.
   */
  readonly vpcId: string;
  /** IRSA role from the infrastructure stack. */
  readonly roleArn: string;
}

/** Values for the upstream chart; a pure function of the props. */
export function loadBalancerControllerValues(props: LoadBalancerControllerReleaseProps): Record<string, unknown> {
  return {
    clusterName: props.clusterName,
    region: props.region,
    vpcId: props.vpcId,
    serviceAccount: {
      create: true,
      name: LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT.name,
      annotations: { "eks.amazonaws.com/role-arn": props.roleArn },
    },
    replicaCount: 2,
    podDisruptionBudget: { maxUnavailable: 1 },
    nodeSelector: nodePoolLabels("system"),
    // CPU limited at five times the request: a ceiling against a runaway on the system node.
    resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "500m", memory: "256Mi" } },
    // Pod Security restricted, though kube-system admits privileged pods: the chart's default
    // context lacks the seccomp profile and the dropped capabilities. The image's base is
    // eks-distro-minimal-base-nonroot (the controller's Makefile at v3.5.0), whose non-root user is
    // uid 65532; the binary and the mounted certificate are readable by any uid, so what matters
    // is that it is a high one (checkov CKV_K8S_40).
    securityContext: {
      runAsNonRoot: true,
      runAsUser: 65532,
      runAsGroup: 65532,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ["ALL"] },
      seccompProfile: { type: "RuntimeDefault" },
    },
    defaultSSLPolicy: ALB_SSL_POLICY,
    // The webhook would make the controller the default for every Service of type LoadBalancer
    // and, with failurePolicy Fail, block creating any Service while the controller is down.
    enableServiceMutatorWebhook: false,
  };
}

/**
 * The AWS Load Balancer Controller from its official chart, on the system nodes: it turns the
 * Airflow API server's Ingress into an Application Load Balancer.
 * @see https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/deploy/installation/
 */
export class LoadBalancerControllerRelease extends Construct {
  /** The release: an Ingress must wait for the controller's admission webhook to be served. */
  readonly release: ITerraformDependable;

  constructor(scope: Construct, id: string, props: LoadBalancerControllerReleaseProps) {
    super(scope, id);
    this.release = new Release(this, "release", {
      name: LOAD_BALANCER_CONTROLLER_CHART.chart,
      namespace: LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT.namespace,
      repository: LOAD_BALANCER_CONTROLLER_CHART.repository,
      chart: LOAD_BALANCER_CONTROLLER_CHART.chart,
      version: LOAD_BALANCER_CONTROLLER_CHART.version,
      values: [stringify(loadBalancerControllerValues(props), { lineWidth: 0 })],
      atomic: true,
      timeout: 600,
    });
  }
}

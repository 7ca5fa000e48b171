import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { RandomProvider } from "@cdktf/provider-random/lib/provider";
import { Construct, Fn } from "../core";

export interface ClusterConnection {
  readonly clusterName: string;
  readonly endpoint: string;
  /** Base64 CA bundle, as EKS returns it. */
  readonly certificateAuthority: string;
  readonly region: string;
}

/**
 * Short-lived tokens from `aws eks get-token` through the providers' exec plugin, so no
 * credential is written into configuration or state. The machine running Terraform needs the
 * AWS CLI and credentials allowed by the cluster's access entries.
 * @see https://registry.terraform.io/providers/hashicorp/kubernetes/latest/docs#exec-plugins
 */
export function eksTokenExec(connection: ClusterConnection) {
  return {
    apiVersion: "client.authentication.k8s.io/v1beta1",
    command: "aws",
    args: ["eks", "get-token", "--cluster-name", connection.clusterName, "--region", connection.region, "--output", "json"],
  };
}

/**
 * Kubernetes and Helm providers pointed at the cluster of the infrastructure stack, and the
 * random provider that generates Airflow's own secrets.
 */
export class ClusterProviders extends Construct {
  constructor(scope: Construct, id: string, connection: ClusterConnection) {
    super(scope, id);
    const caCertificate = Fn.base64decode(connection.certificateAuthority);
    const exec = eksTokenExec(connection);
    new KubernetesProvider(this, "kubernetes", {
      host: connection.endpoint,
      clusterCaCertificate: caCertificate,
      exec: [exec],
    });
    new HelmProvider(this, "helm", {
      kubernetes: { host: connection.endpoint, clusterCaCertificate: caCertificate, exec },
    });
    new RandomProvider(this, "random");
  }
}

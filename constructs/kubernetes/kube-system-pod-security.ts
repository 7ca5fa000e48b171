import { Labels } from "@cdktf/provider-kubernetes/lib/labels";
import { Construct } from "../core";
import { NAMESPACE_POD_SECURITY, podSecurityLabels } from "./pod-security";

/**
 * Pod Security labels on `kube-system`, which EKS creates and the platform installs the Cluster
 * Autoscaler and the Load Balancer Controller into: `privileged` stated rather than implied (the
 * reason is in pod-security.ts), audited and warned at `restricted`. Only these labels are
 * managed; the namespace stays EKS's.
 */
export class KubeSystemPodSecurity extends Construct {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new Labels(this, "labels", {
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name: "kube-system" },
      labels: podSecurityLabels(NAMESPACE_POD_SECURITY.kubeSystem),
      fieldManager: "airflow-platform",
    });
  }
}

import { Construct } from "../core";
import { IrsaRole, type OidcIdentity } from "../iam/irsa-role";
import { LOAD_BALANCER_CONTROLLER_POLICY_SUFFIX, loadBalancerControllerPolicy } from "./load-balancer-controller-policy";
import { LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT } from "./load-balancer-controller-versions";

export interface LoadBalancerControllerRoleProps {
  readonly clusterName: string;
  readonly oidc: OidcIdentity;
  readonly partition: string;
}

/**
 * The AWS Load Balancer Controller's IRSA role, trusted by its one service account, with the
 * upstream policy. Its writes are mostly conditioned on the `elbv2.k8s.aws/cluster` tag the
 * controller puts on what it creates; the rest is listed, with reasons, in RESOURCE_WIDE_ACTIONS.
 * @see https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/deploy/installation/
 */
export class LoadBalancerControllerRole extends Construct {
  readonly roleArn: string;

  constructor(scope: Construct, id: string, props: LoadBalancerControllerRoleProps) {
    super(scope, id);
    this.roleArn = new IrsaRole(this, "irsa", {
      roleName: `${props.clusterName}${LOAD_BALANCER_CONTROLLER_POLICY_SUFFIX}`,
      oidc: props.oidc,
      serviceAccount: LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT,
      policy: loadBalancerControllerPolicy(props.partition),
    }).roleArn;
  }
}

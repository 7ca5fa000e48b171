import { EksAccessEntry } from "@cdktf/provider-aws/lib/eks-access-entry";
import { EksAccessPolicyAssociation } from "@cdktf/provider-aws/lib/eks-access-policy-association";
import { Construct } from "../core";

/**
 * Lets the role pull requests diff with read the cluster, Secrets included: refreshing the
 * platform stack reads Helm's release records and the Kubernetes Secrets it manages.
 * @see https://docs.aws.amazon.com/eks/latest/userguide/access-policy-permissions.html#access-policy-permissions-amazoneksadminviewpolicy
 */
export const PLAN_ROLE_ACCESS_POLICY = "AmazonEKSAdminViewPolicy";

export interface PipelineClusterAccessProps {
  readonly clusterName: string;
  readonly partition: string;
  /** The role the pipeline's diff jobs assume (through GitHub's OIDC token). */
  readonly planRoleArn: string;
}

/**
 * The cluster access of the identities the pipeline's in-VPC jobs present to the Kubernetes API.
 * The deploy role needs no entry here: it creates the cluster (the infrastructure stack is applied
 * by the pipeline first), and EKS makes the cluster's creator an administrator itself; a second
 * entry for the same role would fail with ResourceInUseException.
 * @see https://docs.aws.amazon.com/eks/latest/userguide/access-entries.html
 */
export class PipelineClusterAccess extends Construct {
  constructor(scope: Construct, id: string, props: PipelineClusterAccessProps) {
    super(scope, id);
    const entry = new EksAccessEntry(this, "plan-role", {
      clusterName: props.clusterName,
      principalArn: props.planRoleArn,
      type: "STANDARD",
    });
    new EksAccessPolicyAssociation(this, "plan-role-view", {
      clusterName: props.clusterName,
      principalArn: entry.principalArn,
      policyArn: `arn:${props.partition}:eks::aws:cluster-access-policy/${PLAN_ROLE_ACCESS_POLICY}`,
      accessScope: { type: "cluster" },
    });
  }
}

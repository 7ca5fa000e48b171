import { EksAccessEntry } from "@cdktf/provider-aws/lib/eks-access-entry";
import { EksAccessPolicyAssociation } from "@cdktf/provider-aws/lib/eks-access-policy-association";
import { Construct } from "../core";

/**
 * Lets the plan role look at the cluster's objects, never its Secrets (AmazonEKSAdminViewPolicy
 * would include them). The pipeline's diff jobs do not diff the platform stack, whose state holds
 * generated secrets (docs/pipeline-security.md); this is for a person with the plan role.
 * @see https://docs.aws.amazon.com/eks/latest/userguide/access-policy-permissions.html#access-policy-permissions-amazoneksviewpolicy
 */
export const PLAN_ROLE_ACCESS_POLICY = "AmazonEKSViewPolicy";

export interface PipelineClusterAccessProps {
  readonly clusterName: string;
  readonly partition: string;
  /** The role the pipeline's diff jobs assume (through GitHub's OIDC token; account-bootstrap stack). */
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

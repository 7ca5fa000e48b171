import { Construct } from "../core";
import { IrsaRole, type OidcIdentity, type ServiceAccountRef } from "../iam/irsa-role";
import { policyDocument, type PolicyDocument } from "../iam/policy-document";

/** The service account the platform stack's Cluster Autoscaler release runs as. */
export const CLUSTER_AUTOSCALER_SERVICE_ACCOUNT: ServiceAccountRef = { namespace: "kube-system", name: "cluster-autoscaler" };

export interface ClusterAutoscalerRoleProps {
  readonly clusterName: string;
  readonly oidc: OidcIdentity;
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
}

/**
 * Reads are account-wide because AWS offers no resource scoping for Describe calls; the two
 * writes are limited to Auto Scaling groups tagged as owned by this cluster, so the autoscaler of
 * one cluster can never resize another's nodes.
 * @see https://github.com/kubernetes/autoscaler/blob/master/cluster-autoscaler/cloudprovider/aws/README.md#iam-policy
 */
export function clusterAutoscalerPolicy(props: Omit<ClusterAutoscalerRoleProps, "oidc">): PolicyDocument {
  const { partition, region, accountId, clusterName } = props;
  return policyDocument(
    {
      Sid: "DiscoverGroupsAndInstanceTypes",
      Effect: "Allow",
      Action: [
        "autoscaling:DescribeAutoScalingGroups",
        "autoscaling:DescribeAutoScalingInstances",
        "autoscaling:DescribeLaunchConfigurations",
        "autoscaling:DescribeScalingActivities",
        "autoscaling:DescribeTags",
        "ec2:DescribeImages",
        "ec2:DescribeInstanceTypes",
        "ec2:DescribeLaunchTemplateVersions",
        "ec2:GetInstanceTypesFromInstanceRequirements",
      ],
      Resource: "*",
    },
    {
      Sid: "ReadThisClustersNodeGroups",
      Effect: "Allow",
      Action: "eks:DescribeNodegroup",
      Resource: `arn:${partition}:eks:${region}:${accountId}:nodegroup/${clusterName}/*/*`,
    },
    {
      Sid: "ResizeOnlyThisClustersGroups",
      Effect: "Allow",
      Action: ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"],
      Resource: `arn:${partition}:autoscaling:${region}:${accountId}:autoScalingGroup:*:autoScalingGroupName/*`,
      Condition: { StringEquals: { [`aws:ResourceTag/k8s.io/cluster-autoscaler/${clusterName}`]: "owned" } },
    },
  );
}

/** The Cluster Autoscaler's IRSA role. */
export class ClusterAutoscalerRole extends Construct {
  readonly roleArn: string;

  constructor(scope: Construct, id: string, props: ClusterAutoscalerRoleProps) {
    super(scope, id);
    const role = new IrsaRole(this, "irsa", {
      roleName: `${props.clusterName}-cluster-autoscaler`,
      oidc: props.oidc,
      serviceAccount: CLUSTER_AUTOSCALER_SERVICE_ACCOUNT,
      policy: clusterAutoscalerPolicy(props),
    });
    this.roleArn = role.roleArn;
  }
}

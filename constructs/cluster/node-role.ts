import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { Construct, type ITerraformDependable } from "../core";
import { awsManagedPolicyArn, serviceTrustPolicy, toPolicyJson } from "../iam/policy-document";

/**
 * The worker node policies EKS requires, ECR read-only so nodes pull task images, and SSM for
 * shell access without SSH keys or open ports.
 * @see https://docs.aws.amazon.com/eks/latest/userguide/create-node-role.html
 */
export const NODE_MANAGED_POLICIES = [
  "AmazonEKSWorkerNodePolicy",
  "AmazonEKS_CNI_Policy",
  "AmazonEC2ContainerRegistryReadOnly",
  "AmazonSSMManagedInstanceCore",
] as const;

export interface NodeRoleProps {
  readonly roleName: string;
  readonly partition: string;
}

/** The IAM role every managed node group's instances run as. */
export class NodeRole extends Construct {
  readonly roleArn: string;
  readonly roleName: string;
  /** Node groups must wait for these, or their first nodes cannot join. */
  readonly policyAttachments: readonly ITerraformDependable[];

  constructor(scope: Construct, id: string, props: NodeRoleProps) {
    super(scope, id);
    const role = new IamRole(this, "role", {
      name: props.roleName,
      assumeRolePolicy: toPolicyJson(serviceTrustPolicy("ec2.amazonaws.com")),
    });
    this.policyAttachments = NODE_MANAGED_POLICIES.map(
      (policy) => new IamRolePolicyAttachment(this, policy, { role: role.name, policyArn: awsManagedPolicyArn(props.partition, policy) }),
    );
    this.roleArn = role.arn;
    this.roleName = role.name;
  }
}

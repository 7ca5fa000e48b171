import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Construct } from "../core";

export interface ServiceSecurityGroupProps {
  readonly name: string;
  readonly description: string;
  readonly vpcId: string;
  /** The one TCP port the service listens on. */
  readonly port: number;
  /** The security group allowed in: the cluster's, which EKS attaches to every managed node. */
  readonly sourceSecurityGroupId: string;
  /** What the source is, for the rule's description. */
  readonly sourceDescription: string;
}

/**
 * A security group for a managed service (the database, EFS) that admits one port from one
 * security group and nothing else. It has no egress rules: the services only answer.
 */
export class ServiceSecurityGroup extends Construct {
  readonly securityGroupId: string;

  constructor(scope: Construct, id: string, props: ServiceSecurityGroupProps) {
    super(scope, id);
    const group = new SecurityGroup(this, "group", {
      name: props.name,
      description: props.description,
      vpcId: props.vpcId,
      tags: { Name: props.name },
    });
    new VpcSecurityGroupIngressRule(this, "ingress", {
      securityGroupId: group.id,
      description: `${props.sourceDescription} to port ${props.port}`,
      ipProtocol: "tcp",
      fromPort: props.port,
      toPort: props.port,
      referencedSecurityGroupId: props.sourceSecurityGroupId,
    });
    this.securityGroupId = group.id;
  }
}

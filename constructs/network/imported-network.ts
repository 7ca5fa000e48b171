import { Construct } from "../core";
import type { NetworkRef } from "./network-ref";

export interface ImportedNetworkProps {
  readonly vpcId: string;
  readonly privateSubnetIds: readonly string[];
  /**
   * @default []
   * @see https://docs.aws.amazon.com/eks/latest/userguide/network-reqs.html
   */
  readonly publicSubnetIds?: readonly string[];
}

/**
 * A VPC and subnets that exist already (a shared-services network, say). Nothing is created:
 * the subnets must already carry the `kubernetes.io/role/elb` and `internal-elb` tags for load
 * balancers, and private subnets need a route to a NAT gateway or VPC endpoints.
 * @see https://docs.aws.amazon.com/eks/latest/userguide/network-reqs.html
 */
export class ImportedNetwork extends Construct implements NetworkRef {
  readonly vpcId: string;
  readonly privateSubnetIds: readonly string[];
  readonly publicSubnetIds: readonly string[];

  constructor(scope: Construct, id: string, props: ImportedNetworkProps) {
    super(scope, id);
    this.vpcId = props.vpcId;
    this.privateSubnetIds = props.privateSubnetIds;
    this.publicSubnetIds = props.publicSubnetIds ?? [];
  }
}

/** What the rest of the platform needs to know about a network, whoever made it. */
export interface NetworkRef {
  readonly vpcId: string;
  /** One per availability zone, in zone order: nodes, the database and EFS mount targets. */
  readonly privateSubnetIds: readonly string[];
  /** One per zone, or none: NAT gateways and internet-facing load balancers. */
  readonly publicSubnetIds: readonly string[];
}

import { cidrSubnet, formatCidr, type Ipv4Block } from "./cidr";

/** The subnets a VPC is cut into, one private and one public per availability zone. */
export interface SubnetLayout {
  readonly privateSubnetCidrs: readonly string[];
  readonly publicSubnetCidrs: readonly string[];
}

/** At most three zones: the fourth quarter of the VPC holds the public subnets. */
export const MAX_AVAILABILITY_ZONES = 3;

/**
 * Private subnets get a quarter of the VPC each, because the VPC CNI gives every pod a VPC address
 * and 60 task nodes with up to 58 pods each need thousands of them; public subnets only hold NAT
 * gateways and load balancers, so they share the last quarter in sixteenths.
 */
export function defaultSubnetLayout(vpc: Ipv4Block, zoneCount: number): SubnetLayout {
  if (zoneCount < 1 || zoneCount > MAX_AVAILABILITY_ZONES) {
    throw new RangeError(`defaultSubnetLayout: ${zoneCount} zones; 1 to ${MAX_AVAILABILITY_ZONES} fit`);
  }
  const zones = [...Array(zoneCount).keys()];
  const publicQuarter = cidrSubnet(vpc, 2, 3);
  return {
    privateSubnetCidrs: zones.map((i) => formatCidr(cidrSubnet(vpc, 2, i))),
    publicSubnetCidrs: zones.map((i) => formatCidr(cidrSubnet(publicQuarter, 4, i))),
  };
}

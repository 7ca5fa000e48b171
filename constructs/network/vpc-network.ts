import { DefaultSecurityGroup } from "@cdktf/provider-aws/lib/default-security-group";
import { Eip } from "@cdktf/provider-aws/lib/eip";
import { InternetGateway } from "@cdktf/provider-aws/lib/internet-gateway";
import { NatGateway } from "@cdktf/provider-aws/lib/nat-gateway";
import { Route } from "@cdktf/provider-aws/lib/route";
import { RouteTable } from "@cdktf/provider-aws/lib/route-table";
import { RouteTableAssociation } from "@cdktf/provider-aws/lib/route-table-association";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { Construct } from "../core";
import type { NetworkRef } from "./network-ref";
import { VpcFlowLog, type VpcFlowLogProps } from "./vpc-flow-log";

/** `single` saves money in dev; `perZone` keeps a zone's outage from cutting the others off. */
export type NatGatewayMode = "single" | "perZone";

export interface VpcNetworkProps {
  readonly namePrefix: string;
  /** The EKS cluster that will use the subnets, for the `kubernetes.io/cluster/<name>` tag. */
  readonly clusterName: string;
  readonly availabilityZones: readonly string[];
  readonly vpcCidr: string;
  /** One per zone, in zone order. */
  readonly privateSubnetCidrs: readonly string[];
  /** One per zone, in zone order. */
  readonly publicSubnetCidrs: readonly string[];
  /**
   * @default "perZone"
   * @see https://docs.aws.amazon.com/vpc/latest/userguide/vpc-nat-gateway.html
   */
  readonly natGateways?: NatGatewayMode;
  /**
   * VPC flow logs to CloudWatch. @default - no flow logs
   * @see https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs.html
   */
  readonly flowLogs?: Omit<VpcFlowLogProps, "vpcId" | "namePrefix">;
}

/**
 * A VPC across the given zones: private subnets for nodes, pods, the database and EFS; public
 * subnets for NAT gateways and internet-facing load balancers, tagged as EKS expects.
 * @see https://docs.aws.amazon.com/eks/latest/userguide/network-load-balancing.html
 */
export class VpcNetwork extends Construct implements NetworkRef {
  readonly vpcId: string;
  readonly privateSubnetIds: readonly string[];
  readonly publicSubnetIds: readonly string[];

  constructor(scope: Construct, id: string, props: VpcNetworkProps) {
    super(scope, id);
    const zones = props.availabilityZones;
    const vpc = new Vpc(this, "vpc", {
      cidrBlock: props.vpcCidr,
      enableDnsHostnames: true,
      enableDnsSupport: true,
      tags: { Name: props.namePrefix },
    });
    // The default security group allows all traffic between its members; nothing should use it.
    new DefaultSecurityGroup(this, "default-security-group", { vpcId: vpc.id, tags: { Name: `${props.namePrefix}-default-unused` } });
    const gateway = new InternetGateway(this, "internet-gateway", { vpcId: vpc.id, tags: { Name: props.namePrefix } });

    const clusterTag = { [`kubernetes.io/cluster/${props.clusterName}`]: "shared" };
    const publicSubnets = zones.map((zone, i) => new Subnet(this, `public-${zone}`, {
      vpcId: vpc.id,
      availabilityZone: zone,
      cidrBlock: props.publicSubnetCidrs[i],
      mapPublicIpOnLaunch: false,
      tags: { Name: `${props.namePrefix}-public-${zone}`, "kubernetes.io/role/elb": "1", ...clusterTag },
    }));
    const privateSubnets = zones.map((zone, i) => new Subnet(this, `private-${zone}`, {
      vpcId: vpc.id,
      availabilityZone: zone,
      cidrBlock: props.privateSubnetCidrs[i],
      tags: { Name: `${props.namePrefix}-private-${zone}`, "kubernetes.io/role/internal-elb": "1", ...clusterTag },
    }));

    const publicRoutes = new RouteTable(this, "public-routes", { vpcId: vpc.id, tags: { Name: `${props.namePrefix}-public` } });
    new Route(this, "public-default-route", { routeTableId: publicRoutes.id, destinationCidrBlock: "0.0.0.0/0", gatewayId: gateway.id });
    publicSubnets.forEach((subnet, i) => {
      new RouteTableAssociation(this, `public-${zones[i]}-routes`, { subnetId: subnet.id, routeTableId: publicRoutes.id });
    });

    const natZones = (props.natGateways ?? "perZone") === "perZone" ? zones : zones.slice(0, 1);
    const natGateways = natZones.map((zone, i) => {
      const address = new Eip(this, `nat-${zone}-address`, { domain: "vpc", tags: { Name: `${props.namePrefix}-nat-${zone}` } });
      return new NatGateway(this, `nat-${zone}`, {
        allocationId: address.allocationId,
        subnetId: publicSubnets[i].id,
        tags: { Name: `${props.namePrefix}-nat-${zone}` },
        dependsOn: [gateway],
      });
    });
    privateSubnets.forEach((subnet, i) => {
      const zone = zones[i];
      const nat = natGateways[Math.min(i, natGateways.length - 1)];
      const routes = new RouteTable(this, `private-${zone}-routes`, { vpcId: vpc.id, tags: { Name: `${props.namePrefix}-private-${zone}` } });
      new Route(this, `private-${zone}-default-route`, { routeTableId: routes.id, destinationCidrBlock: "0.0.0.0/0", natGatewayId: nat.id });
      new RouteTableAssociation(this, `private-${zone}-association`, { subnetId: subnet.id, routeTableId: routes.id });
    });

    if (props.flowLogs) {
      new VpcFlowLog(this, "flow-log", { vpcId: vpc.id, namePrefix: props.namePrefix, ...props.flowLogs });
    }
    this.vpcId = vpc.id;
    this.privateSubnetIds = privateSubnets.map((s) => s.id);
    this.publicSubnetIds = publicSubnets.map((s) => s.id);
  }
}

// Where Airflow's pods connect from. With the VPC CNI (EKS's default), pods take addresses from
// the VPC's subnets, so the VPC's CIDR is the pod network. An existing VPC given without
// `network.vpcCidr` leaves it unknown here: then the private address ranges stand in for it
// (still no public address), and setting `network.vpcCidr` narrows it to the VPC.
// @see https://docs.aws.amazon.com/eks/latest/userguide/managing-vpc-cni.html

export const PRIVATE_IPV4_RANGES = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"] as const;

export function podNetworkCidrs(network: { readonly vpcCidr?: string }): readonly string[] {
  return network.vpcCidr === undefined ? PRIVATE_IPV4_RANGES : [network.vpcCidr];
}

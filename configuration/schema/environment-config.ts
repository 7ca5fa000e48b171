import { addonVersionsFor, type EksAddonVersions, type EksVersion } from "../../constructs/cluster/addon-versions";
import { AWS_REGION_PARTITIONS, type AwsPartition } from "../../constructs/network/aws-regions";
import { parseCidr } from "../../constructs/network/cidr";
import { defaultSubnetLayout, MAX_AVAILABILITY_ZONES } from "../../constructs/network/subnet-layout";
import type { ParsedEnvironment } from "./environment";

type DeepReadonly<T> = T extends (infer E)[]
  ? readonly DeepReadonly<E>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

/**
 * A validated environment with everything derived that constructs would otherwise compute
 * again: names, the ARN partition, subnet CIDRs, add-on versions and the data-protection switches
 * that follow from the stage. Constructs trust it and never re-parse it.
 */
export type EnvironmentConfig = DeepReadonly<ParsedEnvironment> & {
  readonly partition: AwsPartition;
  /** Prefix for every AWS name, e.g. `airflow-prod`. */
  readonly resourcePrefix: string;
  readonly clusterName: string;
  readonly eksVersion: EksVersion;
  readonly addonVersions: EksAddonVersions;
  readonly subnets: { readonly privateCidrs: readonly string[]; readonly publicCidrs: readonly string[] };
  /** Staging and prod keep their data: deletion protection, final snapshots, prevent_destroy. */
  readonly protectData: boolean;
};

/**
 * Pure, and safe on an environment whose rules failed (validation derives it to check the chart
 * values and monitors in the same pass): an unparsable VPC CIDR gives no default subnets rather
 * than an exception. An existing VPC has no subnet CIDRs of ours at all.
 */
export function deriveEnvironment(env: ParsedEnvironment): EnvironmentConfig {
  const vpc = env.network.existingVpc || env.network.vpcCidr === undefined ? undefined : parseCidr(env.network.vpcCidr);
  const zoneCount = env.availabilityZones.length;
  const layoutFits = vpc !== undefined && vpc.prefixLength >= 16 && vpc.prefixLength <= 20 && zoneCount >= 1 && zoneCount <= MAX_AVAILABILITY_ZONES;
  const layout = vpc && layoutFits ? defaultSubnetLayout(vpc, env.availabilityZones.length) : { privateSubnetCidrs: [], publicSubnetCidrs: [] };
  const resourcePrefix = `airflow-${env.name}`;
  return {
    ...env,
    partition: AWS_REGION_PARTITIONS[env.account.region],
    resourcePrefix,
    clusterName: resourcePrefix,
    eksVersion: env.cluster.version,
    addonVersions: addonVersionsFor(env.cluster.version),
    subnets: env.network.existingVpc
      ? { privateCidrs: [], publicCidrs: [] }
      : {
          privateCidrs: env.network.privateSubnetCidrs ?? layout.privateSubnetCidrs,
          publicCidrs: env.network.publicSubnetCidrs ?? layout.publicSubnetCidrs,
        },
    protectData: env.stage !== "dev",
  };
}

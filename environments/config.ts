import { addonVersionsFor, type EksAddonVersions, type EksVersion } from "../constructs/cluster/addon-versions";
import { AWS_REGION_PARTITIONS, type AwsPartition } from "../constructs/network/aws-regions";
import { parseCidr } from "../constructs/network/cidr";
import { defaultSubnetLayout } from "../constructs/network/subnet-layout";
import type { ParsedEnvironment } from "./schema";

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

/** Only called after the schema and the rules passed, so the CIDR and version are known good. */
export function deriveEnvironment(env: ParsedEnvironment): EnvironmentConfig {
  const vpc = parseCidr(env.network.vpcCidr);
  if (!vpc) throw new Error(`deriveEnvironment(${env.name}): network.vpcCidr was not validated`);
  const layout = defaultSubnetLayout(vpc, env.availabilityZones.length);
  const resourcePrefix = `airflow-${env.name}`;
  return {
    ...env,
    partition: AWS_REGION_PARTITIONS[env.account.region],
    resourcePrefix,
    clusterName: resourcePrefix,
    eksVersion: env.cluster.version,
    addonVersions: addonVersionsFor(env.cluster.version),
    subnets: {
      privateCidrs: env.network.privateSubnetCidrs ?? layout.privateSubnetCidrs,
      publicCidrs: env.network.publicSubnetCidrs ?? layout.publicSubnetCidrs,
    },
    protectData: env.stage !== "dev",
  };
}

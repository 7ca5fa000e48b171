import type { EksAddonName } from "./addon-versions";

/**
 * Add-on configuration values (`aws eks describe-addon-configuration` gives each add-on's schema).
 * vpc-cni: `enableNetworkPolicy` starts the network policy agent beside aws-node on every node, so
 * the platform's NetworkPolicies (constructs/kubernetes/network-policies.ts) are enforced; without
 * it the API server accepts them and nothing enforces them.
 * @see https://docs.aws.amazon.com/eks/latest/userguide/cni-network-policy-configure.html
 */
export const EKS_ADDON_CONFIGURATION: Partial<Record<EksAddonName, Record<string, unknown>>> = {
  "vpc-cni": { enableNetworkPolicy: "true" },
};

/** The add-on's configuration as the EKS API takes it (a JSON string), or none. */
export function addonConfigurationValues(name: EksAddonName): string | undefined {
  const values = EKS_ADDON_CONFIGURATION[name];
  return values ? JSON.stringify(values) : undefined;
}

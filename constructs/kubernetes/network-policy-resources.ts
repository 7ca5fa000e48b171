import { NetworkPolicyV1, type NetworkPolicyV1SpecEgressPorts, type NetworkPolicyV1SpecEgressTo } from "@cdktf/provider-kubernetes/lib/network-policy-v1";
import { Construct, type ITerraformDependable } from "../core";
import type { LabelSelector, NetworkPeer, NetworkPolicyObject, NetworkPort } from "./network-policies";

export interface NetworkPolicyResourcesProps {
  /** The policies, as `platformNetworkPolicies` builds them. */
  readonly policies: readonly NetworkPolicyObject[];
  /** The namespaces they go into must exist first. */
  readonly dependsOn: readonly ITerraformDependable[];
}

const selector = (s: LabelSelector) => ({
  matchLabels: s.matchLabels ? { ...s.matchLabels } : undefined,
  matchExpressions: s.matchExpressions?.map((e) => ({ key: e.key, operator: e.operator, values: e.values ? [...e.values] : undefined })),
});
const peer = (p: NetworkPeer): NetworkPolicyV1SpecEgressTo => ({
  podSelector: p.podSelector ? selector(p.podSelector) : undefined,
  namespaceSelector: p.namespaceSelector ? selector(p.namespaceSelector) : undefined,
  ipBlock: p.ipBlock ? { cidr: p.ipBlock.cidr, except: p.ipBlock.except ? [...p.ipBlock.except] : undefined } : undefined,
});
// The provider takes a port as a string (a number or a named port).
const port = (p: NetworkPort): NetworkPolicyV1SpecEgressPorts => ({ protocol: p.protocol, port: String(p.port) });

/** The policies as `kubernetes_network_policy_v1` resources, one per object, field for field. */
export class NetworkPolicyResources extends Construct {
  constructor(scope: Construct, id: string, props: NetworkPolicyResourcesProps) {
    super(scope, id);
    for (const policy of props.policies) {
      const spec = policy.spec;
      const resource = new NetworkPolicyV1(this, `${policy.metadata.namespace}-${policy.metadata.name}`, {
        metadata: { name: policy.metadata.name, namespace: policy.metadata.namespace, labels: { ...policy.metadata.labels } },
        spec: {
          podSelector: selector(spec.podSelector),
          policyTypes: [...spec.policyTypes],
          ingress: spec.ingress?.map((rule) => ({ from: rule.from?.map(peer), ports: rule.ports?.map(port) })),
          egress: spec.egress?.map((rule) => ({ to: rule.to?.map(peer), ports: rule.ports?.map(port) })),
        },
        dependsOn: [...props.dependsOn],
      });
      // cdktf drops an empty block, but `pod_selector {}` (every pod of the namespace) is required
      // and means something: without it the policy would not plan at all.
      if (Object.keys(spec.podSelector).length === 0) resource.addOverride("spec.pod_selector", {});
    }
  }
}

import type { Manifest } from "./helm";

// What a set of NetworkPolicies lets through, by the API's rules (networking.k8s.io/v1): a pod
// no policy selects for a direction is open in it; a selected pod admits what any rule of any
// selecting policy admits; peers are pod selectors (the policy's namespace), namespace selectors,
// both, or IP blocks; a rule without peers or ports admits all of them. Plus the one exception
// the EKS network policy agent makes: traffic between a pod and its own node's IP always passes.

export type Endpoint =
  | { readonly kind: "pod"; readonly namespace: string; readonly labels: Readonly<Record<string, string>>; readonly ip: string }
  | { readonly kind: "host"; readonly ip: string; readonly ownNode?: boolean };

interface Selector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}
interface Peer {
  podSelector?: Selector;
  namespaceSelector?: Selector;
  ipBlock?: { cidr: string; except?: string[] };
}
interface Port {
  protocol?: string;
  port?: number | string;
}
interface Policy extends Manifest {
  metadata: { name: string; namespace: string };
  spec: { podSelector: Selector; policyTypes?: string[]; ingress?: { from?: Peer[]; ports?: Port[] }[]; egress?: { to?: Peer[]; ports?: Port[] }[] };
}

export function selects(selector: Selector, labels: Readonly<Record<string, string>>): boolean {
  const byLabel = Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
  const byExpression = (selector.matchExpressions ?? []).every((e) => {
    const value = labels[e.key];
    if (e.operator === "In") return value !== undefined && (e.values ?? []).includes(value);
    if (e.operator === "NotIn") return value === undefined || !(e.values ?? []).includes(value);
    if (e.operator === "Exists") return value !== undefined;
    return value === undefined;
  });
  return byLabel && byExpression;
}

const ipNumber = (ip: string) => ip.split(".").reduce((n, part) => n * 256 + Number(part), 0);
export function inCidr(ip: string, cidr: string): boolean {
  const [base, bits] = cidr.split("/");
  const size = 2 ** (32 - Number(bits));
  return Math.floor(ipNumber(ip) / size) === Math.floor(ipNumber(base) / size);
}

function peerMatches(peer: Peer, policyNamespace: string, other: Endpoint): boolean {
  if (peer.ipBlock) return inCidr(other.ip, peer.ipBlock.cidr) && !(peer.ipBlock.except ?? []).some((c) => inCidr(other.ip, c));
  if (other.kind !== "pod") return false;
  const namespaceLabels = { "kubernetes.io/metadata.name": other.namespace };
  const namespaceOk = peer.namespaceSelector ? selects(peer.namespaceSelector, namespaceLabels) : other.namespace === policyNamespace;
  return namespaceOk && (!peer.podSelector || selects(peer.podSelector, other.labels));
}

const portMatches = (ports: Port[] | undefined, protocol: string, port: number) => !ports || ports.length === 0 || ports.some((p) => (p.protocol ?? "TCP") === protocol && (p.port === undefined || Number(p.port) === port));

function side(policies: Policy[], self: Endpoint, other: Endpoint, direction: "Ingress" | "Egress", protocol: string, port: number): boolean {
  if (self.kind !== "pod") return true;
  const selecting = policies.filter((p) => p.metadata.namespace === self.namespace && selects(p.spec.podSelector, self.labels) && (p.spec.policyTypes ?? ["Ingress"]).includes(direction));
  if (selecting.length === 0) return true;
  return selecting.some((p) =>
    (direction === "Ingress" ? (p.spec.ingress ?? []).map((r) => ({ peers: r.from, ports: r.ports })) : (p.spec.egress ?? []).map((r) => ({ peers: r.to, ports: r.ports }))).some(
      (r) => portMatches(r.ports, protocol, port) && (!r.peers || r.peers.length === 0 || r.peers.some((peer) => peerMatches(peer, p.metadata.namespace, other))),
    ),
  );
}

/** Whether `from` may open a connection (or send a datagram) to `to` on the port. */
export function mayReach(manifests: readonly Manifest[], from: Endpoint, to: Endpoint, protocol: "TCP" | "UDP", port: number): boolean {
  if ((to.kind === "host" && to.ownNode) || (from.kind === "host" && from.ownNode)) return true;
  const policies = manifests.filter((m): m is Policy => m.kind === "NetworkPolicy");
  return side(policies, from, to, "Egress", protocol, port) && side(policies, to, from, "Ingress", protocol, port);
}

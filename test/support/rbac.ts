import type { Manifest } from "./helm";

// A small RBAC evaluator over manifests (what Helm renders and what the stack synthesizes): the
// authorizer's rules for Roles, ClusterRoles (aggregated ones included) and their bindings to
// service accounts, users and groups. It answers "what may this service account do, and where".

export interface Subject {
  readonly namespace: string;
  readonly name: string;
}

export interface Grant {
  /** The namespace the right holds in, or "*" for every namespace (a ClusterRoleBinding). */
  readonly namespace: string;
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
  readonly resourceNames: readonly string[];
  /** The binding and role that give it, for messages. */
  readonly via: string;
}

interface Rule {
  apiGroups?: string[];
  resources?: string[];
  verbs?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}
interface RoleLike extends Manifest {
  rules?: Rule[];
  aggregationRule?: { clusterRoleSelectors?: { matchLabels?: Record<string, string> }[] };
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
}
interface BindingLike extends Manifest {
  metadata: { name: string; namespace?: string };
  roleRef: { kind: string; name: string };
  subjects?: { kind: string; name: string; namespace?: string }[];
}

/** Groups every service account belongs to (the authenticator adds them). */
const groupsOf = (s: Subject) => ["system:serviceaccounts", `system:serviceaccounts:${s.namespace}`, "system:authenticated"];

function matches(binding: BindingLike, subject: Subject): boolean {
  return (binding.subjects ?? []).some((b) =>
    b.kind === "ServiceAccount" ? b.name === subject.name && (b.namespace ?? binding.metadata.namespace) === subject.namespace : b.kind === "Group" ? groupsOf(subject).includes(b.name) : b.kind === "User" && b.name === `system:serviceaccount:${subject.namespace}:${subject.name}`,
  );
}

function clusterRoleRules(role: RoleLike, all: RoleLike[]): Rule[] {
  const selectors = role.aggregationRule?.clusterRoleSelectors ?? [];
  const aggregated = all.filter((r) => r !== role && selectors.some((s) => Object.entries(s.matchLabels ?? {}).every(([k, v]) => r.metadata.labels?.[k] === v)));
  return [...(role.rules ?? []), ...aggregated.flatMap((r) => r.rules ?? [])];
}

/** Every right the service account holds through the manifests' bindings. */
export function grantsOf(subject: Subject, manifests: readonly Manifest[]): Grant[] {
  const roles = manifests.filter((m): m is RoleLike => m.kind === "Role");
  const clusterRoles = manifests.filter((m): m is RoleLike => m.kind === "ClusterRole");
  const grants: Grant[] = [];
  for (const binding of manifests.filter((m): m is BindingLike => m.kind === "RoleBinding" || m.kind === "ClusterRoleBinding")) {
    if (!matches(binding, subject)) continue;
    const namespace = binding.kind === "ClusterRoleBinding" ? "*" : (binding.metadata.namespace ?? "");
    const role =
      binding.roleRef.kind === "ClusterRole"
        ? clusterRoles.find((r) => r.metadata.name === binding.roleRef.name)
        : roles.find((r) => r.metadata.name === binding.roleRef.name && r.metadata.namespace === binding.metadata.namespace);
    const rules = role ? (binding.roleRef.kind === "ClusterRole" ? clusterRoleRules(role, clusterRoles) : (role.rules ?? [])) : [];
    for (const rule of rules.filter((r) => r.resources)) {
      grants.push({ namespace, apiGroups: rule.apiGroups ?? [], resources: rule.resources ?? [], verbs: rule.verbs ?? [], resourceNames: rule.resourceNames ?? [], via: `${binding.kind} ${binding.metadata.name} → ${binding.roleRef.kind} ${binding.roleRef.name}` });
    }
  }
  return grants;
}

const has = (list: readonly string[], value: string) => list.includes("*") || list.includes(value);

/** Whether the account may `verb` the resource (`pods`, `pods/exec`, `secrets`…) in the namespace. */
export function can(subject: Subject, manifests: readonly Manifest[], verb: string, resource: string, namespace: string, apiGroup = ""): Grant | undefined {
  return grantsOf(subject, manifests).find((g) => (g.namespace === "*" || g.namespace === namespace) && has(g.apiGroups, apiGroup) && has(g.verbs, verb) && (has(g.resources, resource) || (resource.includes("/") && g.resources.includes(`${resource.split("/")[0]}/*`))));
}

/** Everything that makes pods, directly or through a controller. */
export const POD_MAKERS: readonly { apiGroup: string; resource: string }[] = [
  { apiGroup: "", resource: "pods" },
  { apiGroup: "", resource: "replicationcontrollers" },
  { apiGroup: "apps", resource: "deployments" },
  { apiGroup: "apps", resource: "replicasets" },
  { apiGroup: "apps", resource: "statefulsets" },
  { apiGroup: "apps", resource: "daemonsets" },
  { apiGroup: "batch", resource: "jobs" },
  { apiGroup: "batch", resource: "cronjobs" },
];

/** Every service account the manifests bind anything to, for "who may do X" questions. */
export function boundServiceAccounts(manifests: readonly Manifest[]): Subject[] {
  const seen = new Map<string, Subject>();
  for (const b of manifests.filter((m): m is BindingLike => m.kind === "RoleBinding" || m.kind === "ClusterRoleBinding")) {
    for (const s of b.subjects ?? []) if (s.kind === "ServiceAccount") seen.set(`${s.namespace ?? b.metadata.namespace}/${s.name}`, { namespace: s.namespace ?? b.metadata.namespace ?? "", name: s.name });
  }
  return [...seen.values()];
}

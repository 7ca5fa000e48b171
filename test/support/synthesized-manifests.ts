import type { StackJson } from "./synth";
import type { Manifest } from "./helm";

// The Kubernetes objects a synthesized platform stack creates, turned back into the API's shape
// (camelCase fields, plural lists, names instead of Terraform references), so the same RBAC,
// Pod Security and NetworkPolicy checks read them as they read what Helm renders.

const KINDS: Record<string, { apiVersion: string; kind: string }> = {
  kubernetes_namespace_v1: { apiVersion: "v1", kind: "Namespace" },
  kubernetes_service_account_v1: { apiVersion: "v1", kind: "ServiceAccount" },
  kubernetes_role_v1: { apiVersion: "rbac.authorization.k8s.io/v1", kind: "Role" },
  kubernetes_role_binding_v1: { apiVersion: "rbac.authorization.k8s.io/v1", kind: "RoleBinding" },
  kubernetes_cluster_role_v1: { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole" },
  kubernetes_cluster_role_binding_v1: { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRoleBinding" },
  kubernetes_network_policy_v1: { apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy" },
  kubernetes_job_v1: { apiVersion: "batch/v1", kind: "Job" },
  kubernetes_config_map_v1: { apiVersion: "v1", kind: "ConfigMap" },
  kubernetes_secret_v1: { apiVersion: "v1", kind: "Secret" },
};

/** Terraform's singular block names whose API field is a plural list. */
const PLURAL: Record<string, string> = { rule: "rules", subject: "subjects", container: "containers", initContainer: "initContainers", volume: "volumes", volumeMount: "volumeMounts", toleration: "tolerations" };
/** Maps whose keys are data, not field names. */
const MAPS = new Set(["labels", "annotations", "matchLabels", "data", "nodeSelector", "hard"]);
const camel = (key: string) => key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

function apiShape(value: unknown, resolve: (s: string) => string, portField = false): unknown {
  if (typeof value === "string") return portField && /^\d+$/.test(value) ? Number(value) : resolve(value);
  if (Array.isArray(value)) return value.map((v) => apiShape(v, resolve, portField));
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (key === "//" || key === "depends_on" || key === "lifecycle" || key === "timeouts" || key === "wait_for_completion" || key === "wait_until_bound") continue;
    const name = camel(key);
    out[PLURAL[name] ?? name] = MAPS.has(name) ? v : apiShape(v, resolve, name === "port");
  }
  return out;
}

/** Every Kubernetes object of the stack that has an API kind above, Terraform references to names resolved. */
export function synthesizedManifests(stack: StackJson): Manifest[] {
  const names = new Map<string, string>();
  for (const [type, resources] of Object.entries(stack.resource)) {
    for (const [id, body] of Object.entries(resources)) {
      const name = (body.metadata as { name?: unknown } | undefined)?.name;
      if (typeof name === "string") names.set(`${type}.${id}`, name);
    }
  }
  const resolve = (s: string) => s.replace(/\$\{([a-z0-9_]+\.[A-Za-z0-9_-]+)\.metadata\[0\]\.name\}/g, (whole, ref: string) => names.get(ref) ?? whole);
  const out: Manifest[] = [];
  for (const [type, shape] of Object.entries(KINDS)) {
    for (const body of Object.values(stack.resource[type] ?? {})) {
      const api = apiShape(body, resolve) as Record<string, unknown>;
      if (type === "kubernetes_service_account_v1" && "automountServiceAccountToken" in api) api.automountServiceAccountToken = body.automount_service_account_token;
      out.push({ ...shape, ...api } as unknown as Manifest);
    }
  }
  return out;
}

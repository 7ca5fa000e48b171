/**
 * Pod Security Admission levels, as namespace labels. Every namespace the platform creates or a
 * chart installs into carries one; `restricted` unless a written reason says why a namespace's
 * pods need more (docs/containment.md lists them).
 * @see https://kubernetes.io/docs/concepts/security/pod-security-admission/
 */
export type PodSecurityLevel = "restricted" | "baseline" | "privileged";

export interface PodSecurityPolicy {
  readonly level: PodSecurityLevel;
  /** Why a namespace is not `restricted`; required for anything looser. */
  readonly reason?: string;
}

const LABEL = "pod-security.kubernetes.io";

/**
 * The labels that make the API server enforce a level, and audit and warn at `restricted`
 * wherever enforcement is looser, so anything that could tighten shows up in the audit log.
 */
export function podSecurityLabels(policy: PodSecurityPolicy): Record<string, string> {
  if (policy.level !== "restricted" && !policy.reason?.trim()) {
    throw new Error(`Pod Security level "${policy.level}" needs a reason: only "restricted" goes without one`);
  }
  return {
    [`${LABEL}/enforce`]: policy.level,
    [`${LABEL}/enforce-version`]: "latest",
    [`${LABEL}/audit`]: "restricted",
    [`${LABEL}/audit-version`]: "latest",
    [`${LABEL}/warn`]: policy.level === "restricted" ? "restricted" : policy.level,
    [`${LABEL}/warn-version`]: "latest",
  };
}

/** The annotation that carries a looser namespace's reason, so `kubectl describe ns` shows it. */
export function podSecurityAnnotations(policy: PodSecurityPolicy): Record<string, string> {
  return policy.reason ? { "airflow-platform/pod-security-reason": policy.reason } : {};
}

/** Each namespace's level, and the reason where it is not `restricted`. */
export const NAMESPACE_POD_SECURITY = {
  airflow: { level: "restricted" },
  tasks: { level: "restricted" },
  datadog: {
    level: "privileged",
    reason:
      "The Datadog agent DaemonSet reads the host: the container runtime socket, /proc and cgroups (hostPath volumes), the host's PIDs, and serves DogStatsD on a hostPort; none of that is allowed under baseline. Nothing else runs here.",
  },
  kubeSystem: {
    level: "privileged",
    reason:
      "EKS's own node daemons (aws-node with the network policy agent, kube-proxy, the EFS CSI node driver) run here with host networking and privileges; the platform installs the Cluster Autoscaler and the Load Balancer Controller here because their IRSA roles trust kube-system service accounts.",
  },
} as const satisfies Record<string, PodSecurityPolicy>;

/**
 * Pods that do not pass `restricted`, by `<namespace>/<kind>/<name>`, and why; each sits in a
 * namespace whose level admits it. The tests fail if one is missing here or no longer needed.
 */
export const POD_SECURITY_EXCEPTIONS: Readonly<Record<string, string>> = {
  "datadog/DaemonSet/datadog":
    "The node agent reads the host (hostPath /proc, cgroups, the runtime socket; host PIDs) and serves DogStatsD on hostPort 8125, which every pod on the node sends to; it runs as root to read them. The chart's System Probe (privileged, SYS_ADMIN) is off.",
  "datadog/Deployment/datadog-cluster-agent":
    "The chart's cluster agent sets no seccomp profile, non-root flag or dropped capabilities on its init container; its image's user is named, not numbered, so runAsNonRoot cannot be set without its uid. It holds no host access (it passes baseline) and lives in the agent's namespace.",
};

// The Pod Security Standards' `baseline` and `restricted` checks (Kubernetes 1.35,
// kubernetes.io/docs/concepts/security/pod-security-standards), applied to a pod spec as Helm
// renders it or as the pod template states it. Each violation names the container and field.

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Obj) : {});
const list = (v: unknown): Obj[] => (Array.isArray(v) ? v.map(obj) : []);

const BASELINE_CAPABILITIES = new Set(["AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT"]);
const SAFE_SYSCTLS = new Set(["kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range", "net.ipv4.ip_unprivileged_port_start", "net.ipv4.tcp_syncookies", "net.ipv4.ping_group_range", "net.ipv4.ip_local_reserved_ports", "net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout", "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes"]);
const RESTRICTED_VOLUMES = new Set(["configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret"]);

/** Every container of a pod spec, init and ephemeral ones included, with its kind. */
function containers(spec: Obj): { where: string; c: Obj }[] {
  return [
    ...list(spec.initContainers).map((c) => ({ where: `initContainer ${String(c.name)}`, c })),
    ...list(spec.containers).map((c) => ({ where: `container ${String(c.name)}`, c })),
    ...list(spec.ephemeralContainers).map((c) => ({ where: `ephemeralContainer ${String(c.name)}`, c })),
  ];
}

/** What `baseline` forbids in this pod. */
export function baselineViolations(spec: Obj, annotations: Obj = {}): string[] {
  const out: string[] = [];
  for (const field of ["hostNetwork", "hostPID", "hostIPC"]) if (spec[field] === true) out.push(`${field}: true`);
  const podSc = obj(spec.securityContext);
  for (const v of list(spec.volumes)) if ("hostPath" in v) out.push(`volume ${String(v.name)}: hostPath`);
  for (const s of list(podSc.sysctls)) if (!SAFE_SYSCTLS.has(String(s.name))) out.push(`sysctl ${String(s.name)}`);
  const checkSc = (where: string, sc: Obj) => {
    if (obj(sc.seccompProfile).type === "Unconfined") out.push(`${where}: seccompProfile Unconfined`);
    if (obj(sc.appArmorProfile).type === "Unconfined") out.push(`${where}: appArmorProfile Unconfined`);
    const se = obj(sc.seLinuxOptions);
    if (se.user !== undefined || se.role !== undefined) out.push(`${where}: seLinuxOptions user/role`);
    if (se.type !== undefined && !["", "container_t", "container_init_t", "container_kvm_t", "container_engine_t"].includes(String(se.type))) out.push(`${where}: seLinuxOptions type ${String(se.type)}`);
  };
  checkSc("pod", podSc);
  for (const { where, c } of containers(spec)) {
    const sc = obj(c.securityContext);
    checkSc(where, sc);
    if (sc.privileged === true) out.push(`${where}: privileged`);
    if (sc.procMount !== undefined && sc.procMount !== "Default") out.push(`${where}: procMount ${String(sc.procMount)}`);
    for (const cap of (obj(sc.capabilities).add as unknown[] | undefined) ?? []) if (!BASELINE_CAPABILITIES.has(String(cap))) out.push(`${where}: adds capability ${String(cap)}`);
    for (const p of list(c.ports)) if (p.hostPort !== undefined && p.hostPort !== 0) out.push(`${where}: hostPort ${String(p.hostPort)}`);
  }
  for (const [key, value] of Object.entries(annotations)) if (key.startsWith("container.apparmor.security.beta.kubernetes.io/") && value === "unconfined") out.push(`annotation ${key}: unconfined`);
  return out;
}

/** What `restricted` forbids in this pod (baseline's checks included). */
export function restrictedViolations(spec: Obj, annotations: Obj = {}): string[] {
  const out = baselineViolations(spec, annotations);
  const podSc = obj(spec.securityContext);
  for (const v of list(spec.volumes)) {
    const type = Object.keys(v).find((k) => k !== "name");
    if (type && !RESTRICTED_VOLUMES.has(type)) out.push(`volume ${String(v.name)}: ${type}`);
  }
  if (podSc.runAsUser === 0) out.push("pod: runAsUser 0");
  const podSeccomp = String(obj(podSc.seccompProfile).type ?? "");
  for (const { where, c } of containers(spec)) {
    const sc = obj(c.securityContext);
    if (sc.allowPrivilegeEscalation !== false) out.push(`${where}: allowPrivilegeEscalation is not false`);
    if (sc.runAsUser === 0) out.push(`${where}: runAsUser 0`);
    if ((sc.runAsNonRoot ?? podSc.runAsNonRoot) !== true) out.push(`${where}: runAsNonRoot is not true (pod or container)`);
    const seccomp = String(obj(sc.seccompProfile).type ?? podSeccomp);
    if (!["RuntimeDefault", "Localhost"].includes(seccomp)) out.push(`${where}: seccompProfile is not RuntimeDefault or Localhost (pod or container)`);
    const caps = obj(sc.capabilities);
    if (!((caps.drop as unknown[] | undefined) ?? []).includes("ALL")) out.push(`${where}: capabilities do not drop ALL`);
    for (const cap of (caps.add as unknown[] | undefined) ?? []) if (cap !== "NET_BIND_SERVICE") out.push(`${where}: adds capability ${String(cap)}`);
  }
  return out;
}

/** A workload's pod template (or a Pod's own spec) with where it came from; none for other kinds. */
export function podSpecOf(manifest: Obj): { spec: Obj; annotations: Obj } | undefined {
  const kind = String(manifest.kind);
  if (kind === "Pod") return { spec: obj(manifest.spec), annotations: obj(obj(manifest.metadata).annotations) };
  const template = kind === "CronJob" ? obj(obj(obj(obj(manifest.spec).jobTemplate).spec).template) : obj(obj(manifest.spec).template);
  if (!["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob"].includes(kind)) return undefined;
  return { spec: obj(template.spec), annotations: obj(obj(template.metadata).annotations) };
}

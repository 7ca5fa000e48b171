import { RDS_CA_CONFIG_MAP, RDS_CA_DIR, RDS_CA_VOLUME } from "../database/rds-ca";
import { PGBOUNCER_CONFIG_DIR, PGBOUNCER_FILES } from "./pgbouncer-config";

// How a running PgBouncer picks up a new configuration without dropping a connection.
//
// The chart mounts its config Secret with `subPath`, and Kubernetes never updates a subPath
// mount: a new password would reach PgBouncer only through a new pod, and every client of the old
// pod would lose its connection (PgBouncer 1.23, the chart's image, even waits on SIGTERM for
// clients that never leave). Instead the chart's own mount is off and the Secret is mounted as a
// directory, which the kubelet swaps atomically when the Secret changes (within about a minute).
// PgBouncer runs under a small supervisor that sends it SIGHUP when the files change: PgBouncer
// re-reads its ini, auth file and HBA file, keeps every client connection, and replaces server
// connections as they are released (a changed `user=` marks the pool's servers for closing).
// @see https://kubernetes.io/docs/concepts/configuration/secret/#using-secrets-as-files-from-a-pod
// @see https://www.pgbouncer.org/usage.html#signals

/** The name of the volume the pod mounts the config Secret from. */
export const PGBOUNCER_CONFIG_VOLUME = "pgbouncer-live-config";

export interface PgbouncerSupervisorInput {
  /** @default PGBOUNCER_CONFIG_DIR */
  readonly configDir?: string;
  /** How often the files are compared with what PgBouncer last loaded. @default 5 */
  readonly pollSeconds?: number;
}

/**
 * The container's command, for `/bin/sh -c` (the chart's PgBouncer image is Alpine with
 * busybox). Stopping is as the chart intends: its preStop hook sends PgBouncer SIGINT, the safe
 * shutdown in every version (transactions in flight finish, then clients reconnect elsewhere);
 * SIGTERM to the supervisor, should it come first, is passed on as the same SIGINT.
 */
export function pgbouncerSupervisorScript(input: PgbouncerSupervisorInput = {}): string {
  const dir = input.configDir ?? PGBOUNCER_CONFIG_DIR;
  const files = [PGBOUNCER_FILES.ini, PGBOUNCER_FILES.users, PGBOUNCER_FILES.hba].map((f) => `"$dir/${f}"`).join(" ");
  return [
    `dir=${dir}`,
    `checksum() { cat ${files} | sha256sum; }`,
    `pgbouncer "$dir/${PGBOUNCER_FILES.ini}" &`,
    "pid=$!",
    `trap 'kill -INT "$pid" 2>/dev/null' TERM INT`,
    "loaded=$(checksum)",
    `while kill -0 "$pid" 2>/dev/null; do`,
    `  sleep ${input.pollSeconds ?? 5} &`,
    "  wait $!",
    "  current=$(checksum)",
    `  if [ "$current" != "$loaded" ]; then`,
    "    loaded=$current",
    `    echo "pgbouncer-supervisor: configuration changed, reloading"`,
    `    kill -HUP "$pid"`,
    "  fi",
    "done",
    `wait "$pid"`,
    "",
  ].join("\n");
}

/** The chart's `pgbouncer` values that run PgBouncer under the supervisor with a live mount. */
export function pgbouncerSupervisorValues(configSecretName: string) {
  return {
    // Keeps the chart from writing a config Secret of its own; its subPath mount stays off.
    configSecretName,
    mountConfigSecret: false,
    command: ["/bin/sh", "-c", pgbouncerSupervisorScript()],
    // The RDS CA bundle PgBouncer verifies the server against (the bootstrap Job writes the ConfigMap).
    extraVolumes: [
      { name: PGBOUNCER_CONFIG_VOLUME, secret: { secretName: configSecretName } },
      { name: RDS_CA_VOLUME, configMap: { name: RDS_CA_CONFIG_MAP } },
    ],
    extraVolumeMounts: [
      { name: PGBOUNCER_CONFIG_VOLUME, mountPath: PGBOUNCER_CONFIG_DIR, readOnly: true },
      { name: RDS_CA_VOLUME, mountPath: RDS_CA_DIR, readOnly: true },
    ],
  };
}

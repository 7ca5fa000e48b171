import { GIT_SYNC_IMAGE } from "./chart-versions";

/** The key of the deploy-key Secret the chart's git-sync containers read (`dags.gitSync.sshKeySecret`). */
export const GIT_SSH_KEY_SECRET_KEY = "gitSshKey";

/** Where the DAG repository comes from; the `airflow.gitSync` section of an environment. */
export interface GitSyncSettings {
  readonly repository: string;
  /** The branch (or tag) to sync; git-sync v4 calls it the ref. */
  readonly branch: string;
  readonly subPath: string;
  readonly periodSeconds: number;
  readonly sshKeySecretName?: string;
  readonly knownHosts?: string;
  readonly credentialsSecretName?: string;
}

/** Where the chart's git-sync containers (and ours) mount the deploy key and known hosts. */
export const GIT_SECRET_PATHS = { sshKey: "/etc/git-secret/ssh", knownHosts: "/etc/git-secret/known_hosts" } as const;

/**
 * git-sync's HTTP endpoint (`--http-bind`), which the sidecar's liveness probe reads: `/` answers
 * 503 until the first sync is done and 200 after (git-sync v4.4.2 README and main.go). Kubelet
 * probes come from the node's IP, which the network policy agent always admits.
 */
export const GIT_SYNC_HTTP_PORT = 2020;

/**
 * The sidecar's liveness: restarted when its endpoint stops answering, or when the first sync has
 * not succeeded within about three and a half minutes of its start (60 s delay + 5 failures × 30 s).
 */
const GIT_SYNC_LIVENESS = { httpGet: { path: "/", port: GIT_SYNC_HTTP_PORT }, initialDelaySeconds: 60, periodSeconds: 30, timeoutSeconds: 5, failureThreshold: 5 } as const;

/** Consecutive failed syncs a running git-sync sidecar tolerates before it exits. */
const MAX_FAILURES = 3;

/**
 * The chart's `dags.gitSync` values. The ref is given as `ref`, git-sync v4's own setting, and the
 * chart's v3-era `branch` and `rev` are set empty on purpose: the chart always renders them as
 * GIT_SYNC_BRANCH and GIT_SYNC_REV, and git-sync v4 lets a non-empty deprecated branch (or rev,
 * even "HEAD") replace --ref. Left at the chart's defaults they would sync `v2-2-stable`.
 * @see https://github.com/kubernetes/git-sync/blob/master/v3-to-v4.md
 */
export function gitSyncChartValues(git: GitSyncSettings, resources: Record<string, unknown>): Record<string, unknown> {
  return {
    enabled: true,
    repo: git.repository,
    ref: git.branch,
    branch: "",
    rev: "",
    depth: 1,
    maxFailures: MAX_FAILURES,
    subPath: git.subPath,
    period: `${git.periodSeconds}s`,
    ...(git.sshKeySecretName ? { sshKeySecret: git.sshKeySecretName } : {}),
    ...(git.knownHosts ? { knownHosts: git.knownHosts } : {}),
    ...(git.credentialsSecretName ? { credentialsSecret: git.credentialsSecretName } : {}),
    resources,
    env: [{ name: "GITSYNC_HTTP_BIND", value: `:${GIT_SYNC_HTTP_PORT}` }],
    livenessProbe: GIT_SYNC_LIVENESS,
  };
}

/**
 * git-sync v4's environment for a one-time clone into `/git/repo`, as the chart's own
 * `git_sync_container` helper writes it for an init container, less its v3 duplicates.
 */
export function gitSyncInitEnv(git: GitSyncSettings): Record<string, unknown>[] {
  const auth: Record<string, unknown>[] = git.sshKeySecretName
    ? [
        { name: "GITSYNC_SSH_KEY_FILE", value: GIT_SECRET_PATHS.sshKey },
        { name: "GITSYNC_SSH", value: "true" },
        ...(git.knownHosts
          ? [
              { name: "GITSYNC_SSH_KNOWN_HOSTS", value: "true" },
              { name: "GITSYNC_SSH_KNOWN_HOSTS_FILE", value: GIT_SECRET_PATHS.knownHosts },
            ]
          : [{ name: "GITSYNC_SSH_KNOWN_HOSTS", value: "false" }]),
      ]
    : git.credentialsSecretName
      ? ["GITSYNC_USERNAME", "GITSYNC_PASSWORD"].map((key) => ({ name: key, valueFrom: { secretKeyRef: { name: git.credentialsSecretName, key } } }))
      : [];
  return [
    ...auth,
    { name: "GITSYNC_REF", value: git.branch },
    { name: "GITSYNC_REPO", value: git.repository },
    { name: "GITSYNC_DEPTH", value: "1" },
    { name: "GITSYNC_ROOT", value: "/git" },
    { name: "GITSYNC_LINK", value: "repo" },
    { name: "GITSYNC_ADD_USER", value: "true" },
    { name: "GITSYNC_PERIOD", value: `${git.periodSeconds}s` },
    { name: "GITSYNC_MAX_FAILURES", value: String(MAX_FAILURES) },
    { name: "GITSYNC_ONE_TIME", value: "true" },
  ];
}

export const GIT_SYNC_IMAGE_REF = `${GIT_SYNC_IMAGE.repository}:${GIT_SYNC_IMAGE.tag}`;

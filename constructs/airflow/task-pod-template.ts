import { nodePoolLabels, TASKS_TAINT } from "../cluster/node-placement";
import { statsdHostFromNodeIp } from "../datadog/dogstatsd";
import { AIRFLOW_GID, AIRFLOW_UID } from "../storage/log-file-system";
import { AIRFLOW_HOME, AIRFLOW_RELEASE_NAME, CHART_OBJECT_NAMES } from "./chart-versions";
import { GIT_SECRET_PATHS, GIT_SSH_KEY_SECRET_KEY, GIT_SYNC_IMAGE_REF, gitSyncInitEnv, type GitSyncSettings } from "./git-sync";
import { SAFE_TO_EVICT_ANNOTATION } from "./pod-mutation-hook";
import { TASK_POD_AFFINITY } from "./task-pod-affinity";

/**
 * The KubernetesExecutor's base pod (chart value `podTemplate`), owned by this project instead of
 * the chart's `files/pod-template-file.kubernetes-helm-yaml`. It gives a task pod what the chart's
 * template gives it (DAGs cloned by git-sync with the deploy key and pinned known hosts, the
 * task-log claim, airflow.cfg and airflow_local_settings.py from the chart's ConfigMap, placement
 * on the tasks group with its toleration, a preferred affinity to other task pods' nodes (packing), safe-to-evict "false", requests and limits, 10 minutes'
 * grace, the security context, the StatsD host) and leaves out what
 * the chart's `standard_airflow_environment` adds: a Kubernetes token (task pods run as the
 * task namespace's `airflow-task`, see TASK_SERVICE_ACCOUNT), the metadata connection, the fernet key, the
 * API secret key and the JWT secret.
 *
 * Why a task pod needs none of those (Airflow 3's source, providers/cncf/kubernetes and
 * task-sdk/src/airflow/sdk/execution_time): the executor starts the pod as
 * `python -m airflow.sdk.execution_time.execute_workload --json-string <workload>`, and the
 * workload carries a token for this one task instance. The supervisor talks to the API server's
 * execution API (`[core] execution_api_server_url`, which the chart writes into airflow.cfg) with
 * that token, and the API server reads and decrypts connections and variables for it. The
 * supervisor blocks the ORM in the task process (`block_orm_access`), so a database URL could only
 * be misused; with the JWT secret a task could mint tokens for any other task. The fernet key's
 * one use in the Task SDK is encrypting Delta Lake and Iceberg storage options passed through
 * XCom (serde); without it they are stored unencrypted with a warning (see README).
 * @see https://airflow.apache.org/docs/apache-airflow-providers-cncf-kubernetes/stable/kubernetes_executor.html
 */
export interface TaskPodTemplateInput {
  /**
   * The Airflow image (`images.airflow`, `<repository>:<tag>`), as the chart's own template
   * writes it. The executor replaces it with
   * `[kubernetes_executor] worker_container_repository:worker_container_tag`, which the chart
   * writes into airflow.cfg from `images.airflow` (kube_config.py, pod_generator.construct_pod):
   * the same image, so this copy only keeps the template truthful to a reader.
   */
  readonly image: string;
  readonly gitSync: GitSyncSettings;
  readonly gitSyncResources: Record<string, unknown>;
  /** Requests and limits of the `base` container, from `airflow.taskPod`. */
  readonly resources: Record<string, unknown>;
  readonly logClaimName: string;
  /** Seconds a task has after SIGTERM (the Cluster Autoscaler's max-graceful-termination-sec matches). */
  readonly terminationGracePeriodSeconds: number;
}

/**
 * The account task pods run as: the task namespace's own, bound to nothing and without a token
 * (TaskNamespace creates it). A task has no Kubernetes rights: it reaches Airflow through the
 * execution API with its own task token, and the scheduler alone starts, watches and deletes pods.
 */
export const TASK_SERVICE_ACCOUNT = "airflow-task";

/** The uid the chart runs git-sync as (`dags.gitSync.uid`, the git-sync image's own user). */
const GIT_SYNC_UID = 65533;

const CONFIG_VOLUME = "config";
/** What Pod Security `restricted` asks of every container. */
const RESTRICTED_CONTAINER = { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } };
const DAGS_MOUNT = `${AIRFLOW_HOME}/dags`;

/** Every environment variable the `base` container gets, each with what it is for. */
function baseEnv(): Record<string, unknown>[] {
  return [
    // Where airflow.cfg (mounted below) and the log folder are; the image's default, set as the chart does.
    { name: "AIRFLOW_HOME", value: AIRFLOW_HOME },
    // The node's own Datadog agent: the task's StatsD metrics (the [metrics] section comes from airflow.cfg).
    statsdHostFromNodeIp(),
  ];
}

function gitSyncInitContainer(input: TaskPodTemplateInput): Record<string, unknown> {
  const git = input.gitSync;
  return {
    name: "git-sync-init",
    image: GIT_SYNC_IMAGE_REF,
    imagePullPolicy: "IfNotPresent",
    securityContext: { runAsUser: GIT_SYNC_UID, ...RESTRICTED_CONTAINER },
    env: gitSyncInitEnv(git),
    resources: input.gitSyncResources,
    volumeMounts: [
      { name: "dags", mountPath: "/git" },
      ...(git.sshKeySecretName ? [{ name: "git-sync-ssh-key", mountPath: GIT_SECRET_PATHS.sshKey, readOnly: true, subPath: GIT_SSH_KEY_SECRET_KEY }] : []),
      ...(git.sshKeySecretName && git.knownHosts ? [{ name: CONFIG_VOLUME, mountPath: GIT_SECRET_PATHS.knownHosts, readOnly: true, subPath: "known_hosts" }] : []),
    ],
  };
}

/** The pod template as an object; `taskPodTemplate` is the YAML the chart takes. */
export function taskPodTemplateObject(input: TaskPodTemplateInput): Record<string, unknown> {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name: "placeholder-name",
      labels: { tier: "airflow", component: "worker", release: AIRFLOW_RELEASE_NAME },
      annotations: { [SAFE_TO_EVICT_ANNOTATION]: "false" },
    },
    spec: {
      initContainers: [gitSyncInitContainer(input)],
      containers: [
        {
          // The executor merges its command into the container named "base".
          name: "base",
          image: input.image,
          imagePullPolicy: "IfNotPresent",
          env: baseEnv(),
          resources: input.resources,
          securityContext: RESTRICTED_CONTAINER,
          volumeMounts: [
            { name: "logs", mountPath: `${AIRFLOW_HOME}/logs` },
            { name: CONFIG_VOLUME, mountPath: `${AIRFLOW_HOME}/airflow.cfg`, subPath: "airflow.cfg", readOnly: true },
            // The pod_mutation_hook: KubernetesPodOperator tasks launch their pods from here.
            { name: CONFIG_VOLUME, mountPath: `${AIRFLOW_HOME}/config/airflow_local_settings.py`, subPath: "airflow_local_settings.py", readOnly: true },
            { name: "dags", mountPath: DAGS_MOUNT, readOnly: true },
          ],
        },
      ],
      restartPolicy: "Never",
      // Pod Security `restricted`, which the task namespace enforces: a pod_override that asks for
      // root, privileges or host access is refused by the API server and the task fails.
      securityContext: { runAsUser: AIRFLOW_UID, runAsGroup: AIRFLOW_GID, fsGroup: AIRFLOW_GID, runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
      nodeSelector: nodePoolLabels("tasks"),
      tolerations: [{ key: TASKS_TAINT.key, operator: "Equal", value: TASKS_TAINT.value, effect: TASKS_TAINT.effect }],
      // Packing: a task pod prefers a node that already runs task pods (task-pod-affinity.ts).
      affinity: TASK_POD_AFFINITY,
      terminationGracePeriodSeconds: input.terminationGracePeriodSeconds,
      serviceAccountName: TASK_SERVICE_ACCOUNT,
      // Even a pod_override naming another account gets no token unless it also turns this on;
      // and in the task namespace no account has a right to use one for.
      automountServiceAccountToken: false,
      volumes: [
        { name: "dags", emptyDir: {} },
        { name: "logs", persistentVolumeClaim: { claimName: input.logClaimName } },
        ...(input.gitSync.sshKeySecretName ? [{ name: "git-sync-ssh-key", secret: { secretName: input.gitSync.sshKeySecretName, defaultMode: 0o440 } }] : []),
        { name: CONFIG_VOLUME, configMap: { name: CHART_OBJECT_NAMES.config } },
      ],
    },
  };
}

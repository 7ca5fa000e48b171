import { AIRFLOW_SECRET_KEYS } from "./airflow-secrets";
import { AIRFLOW_RELEASE_NAME } from "./chart-versions";

/**
 * The chart values that keep DAG authors' code away from the platform's Kubernetes rights
 * (docs/containment.md). Merged over the rest of the values by `airflowValues`.
 *
 * - Task pods run in the task namespace (`[kubernetes_executor] namespace`). The executor lets a
 *   task's `executor_config` pod_override set any namespace and service account
 *   (providers/cncf/kubernetes/pod_generator.py `construct_pod` reconciles the override last),
 *   so the boundary is where the scheduler may create pods at all: only the task namespace, where
 *   no service account has a right (TaskNamespace). A pod_override naming `airflow` or the
 *   scheduler's account is refused by the API server.
 * - `allowPodLaunching: false`: the chart's `airflow-pod-launcher-role` (create/patch/delete pods
 *   and `pods/exec` in `airflow`, bound to the scheduler, the worker and the triggerer) is not
 *   rendered. The scheduler's rights live in the task namespace instead (TaskNamespace), and
 *   nothing may start a pod in `airflow`, where the bootstrap Job's IRSA account and every Secret live.
 * - No `airflow-worker` service account: task pods run as the task namespace's `airflow-task`.
 * - The API server reads running task pods' logs in the task namespace (TaskNamespace), so the
 *   chart's pod-log reader in `airflow` is off.
 * - The JWT secret only where tokens are signed and checked (below).
 * - Components that never call the Kubernetes API get no token: the DAG processor and the
 *   triggerer (both run DAG authors' code), PgBouncer and the two Jobs.
 * - Every pod passes Pod Security `restricted`, which Airflow's namespace enforces: non-root,
 *   the runtime's seccomp profile, no privilege escalation, no capabilities (the chart's global
 *   `securityContexts`, and git-sync's own, which the chart does not take from them).
 */
/** The chart's `pgbouncer.uid` (nobody), which its pod ran as before it had a context of its own. */
const PGBOUNCER_UID = 65534;

/** The chart's `ports.apiServer`: the UI, the REST API and the execution API. */
export const API_SERVER_PORT = 8080;

export function containmentValues(airflowNamespace: string, taskNamespace: string, jwtSecretName: string): Record<string, unknown> {
  // Only the scheduler (it signs each task's token) and the API server (it checks them) hold the
  // JWT secret. The DAG processor and the triggerer call the execution API in process with its
  // token checks switched off (airflow/api_fastapi/execution_api/app.py InProcessExecutionAPI), and
  // the jobs never call it; a JWT secret there would let DAG code mint any task's token.
  const jwt = [{ name: "AIRFLOW__API_AUTH__JWT_SECRET", valueFrom: { secretKeyRef: { name: jwtSecretName, key: AIRFLOW_SECRET_KEYS.jwtSecret } } }];
  const noToken = { serviceAccount: { automountServiceAccountToken: false } };
  const container = { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } };
  return {
    securityContexts: { pod: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } }, containers: container },
    dags: { gitSync: { securityContexts: { container } } },
    enableBuiltInSecretEnvVars: { AIRFLOW__API_AUTH__JWT_SECRET: false },
    scheduler: { env: jwt },
    allowPodLaunching: false,
    allowJobLaunching: false,
    multiNamespaceMode: false,
    workers: { serviceAccount: { create: false } },
    apiServer: { allowPodLogReading: false, env: jwt },
    // The chart renders the log reader's Role from the Airflow 2 webserver's switch, its binding from the API server's.
    webserver: { allowPodLogReading: false },
    dagProcessor: noToken,
    triggerer: noToken,
    // PgBouncer takes its pod's context from its own values only; 65534 is the chart's uid for it.
    pgbouncer: { ...noToken, securityContexts: { pod: { runAsUser: PGBOUNCER_UID, runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } } } },
    migrateDatabaseJob: noToken,
    createUserJob: noToken,
    config: {
      kubernetes_executor: { namespace: taskNamespace },
      // The chart's default, http://airflow-api-server:8080/execution/, is a name only Airflow's
      // own namespace resolves; task pods run in the task namespace.
      core: { execution_api_server_url: `http://${AIRFLOW_RELEASE_NAME}-api-server.${airflowNamespace}.svc:${API_SERVER_PORT}/execution/` },
    },
  };
}

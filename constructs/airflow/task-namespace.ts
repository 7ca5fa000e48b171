import { LimitRangeV1 } from "@cdktf/provider-kubernetes/lib/limit-range-v1";
import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import { ResourceQuotaV1 } from "@cdktf/provider-kubernetes/lib/resource-quota-v1";
import { RoleBindingV1 } from "@cdktf/provider-kubernetes/lib/role-binding-v1";
import { RoleV1 } from "@cdktf/provider-kubernetes/lib/role-v1";
import { ServiceAccountV1 } from "@cdktf/provider-kubernetes/lib/service-account-v1";
import { Construct, type ITerraformDependable } from "../core";
import { NAMESPACE_POD_SECURITY, podSecurityLabels } from "../kubernetes/pod-security";
import type { ContainerResources } from "./airflow-values";
import { TASK_SERVICE_ACCOUNT } from "./task-pod-template";

export { TASK_SERVICE_ACCOUNT };

export interface TaskNamespaceQuota {
  readonly cpuMillicores: number;
  readonly memoryMiB: number;
  /** @default - the CPU request ceiling */
  readonly limitsCpuMillicores?: number;
  /** @default - the memory request ceiling */
  readonly limitsMemoryMiB?: number;
  readonly pods: number;
}

export interface TaskNamespaceProps {
  readonly name: string;
  /** Where Airflow runs: the accounts below are its. */
  readonly airflowNamespace: string;
  /** Accounts that start, watch, patch and delete task pods here: the KubernetesExecutor's (the scheduler). */
  readonly launcherServiceAccounts: readonly string[];
  /** Accounts that read task pods and their logs here: the API server, for a running task's log. */
  readonly logReaderServiceAccounts: readonly string[];
  /**
   * IRSA role of the task service account: every task pod then gets AWS credentials for it
   * (the EKS pod identity webhook mounts its own projected token, whatever
   * `automountServiceAccountToken` says). @default - no AWS access
   * @see https://docs.aws.amazon.com/eks/latest/userguide/iam-roles-for-service-accounts.html
   */
  readonly taskRoleArn?: string;
  /** Default requests and limits of a container that sets none. */
  readonly defaultResources: ContainerResources;
  /**
   * Requests, limits and pods everything in the namespace may hold at once.
   * @see https://kubernetes.io/docs/concepts/policy/resource-quotas/
   */
  readonly quota: TaskNamespaceQuota;
}

/**
 * The namespace task pods run in: their service account (no token, bound to nothing; optionally
 * with an IRSA role for S3), RBAC that lets the scheduler create, watch and clean up pods here and
 * the API server read their logs, and nothing else; Pod Security `restricted`; a quota and limit
 * range so a runaway DAG cannot take the whole cluster. Nothing here may read a Secret, exec into
 * a pod or start one from task code (docs/containment.md).
 */
export class TaskNamespace extends Construct {
  readonly namespace: string;
  /** The namespace object, for what must wait for it. */
  readonly namespaceResource: ITerraformDependable;

  constructor(scope: Construct, id: string, props: TaskNamespaceProps) {
    super(scope, id);
    const namespace = new NamespaceV1(this, "namespace", {
      metadata: { name: props.name, labels: { "app.kubernetes.io/part-of": "airflow", ...podSecurityLabels(NAMESPACE_POD_SECURITY.tasks) } },
    });
    const ns = namespace.metadata.name;
    new ServiceAccountV1(this, "task-service-account", {
      metadata: {
        name: TASK_SERVICE_ACCOUNT,
        namespace: ns,
        annotations: props.taskRoleArn ? { "eks.amazonaws.com/role-arn": props.taskRoleArn } : {},
      },
      automountServiceAccountToken: false,
    });
    // What the KubernetesExecutor calls (providers/cncf/kubernetes/executors): create, read,
    // list and watch (its watcher), patch (marking pods done or revoked) and delete. No exec, no
    // logs, no events, no Secrets.
    this.bind(ns, "pod-launcher", "airflow-pod-launcher", props.airflowNamespace, props.launcherServiceAccounts, [
      { apiGroups: [""], resources: ["pods"], verbs: ["create", "get", "list", "watch", "patch", "delete"] },
    ]);
    // KubernetesExecutor.get_task_log: list the task's pod, read its log.
    this.bind(ns, "pod-log-reader", "airflow-pod-log-reader", props.airflowNamespace, props.logReaderServiceAccounts, [
      { apiGroups: [""], resources: ["pods"], verbs: ["get", "list"] },
      { apiGroups: [""], resources: ["pods/log"], verbs: ["get"] },
    ]);
    const q = props.quota;
    new ResourceQuotaV1(this, "quota", {
      metadata: { name: "airflow-tasks", namespace: ns },
      spec: {
        hard: {
          "requests.cpu": `${q.cpuMillicores}m`,
          "requests.memory": `${q.memoryMiB}Mi`,
          "limits.cpu": `${q.limitsCpuMillicores ?? q.cpuMillicores}m`,
          "limits.memory": `${q.limitsMemoryMiB ?? q.memoryMiB}Mi`,
          pods: String(q.pods),
        },
      },
    });
    const r = props.defaultResources;
    new LimitRangeV1(this, "limits", {
      metadata: { name: "airflow-tasks", namespace: ns },
      spec: {
        limit: [
          {
            type: "Container",
            defaultRequest: { cpu: `${r.cpuMillicores}m`, memory: `${r.memoryMiB}Mi` },
            default: { cpu: `${r.cpuLimitMillicores}m`, memory: `${r.memoryLimitMiB}Mi` },
          },
        ],
      },
    });
    this.namespace = ns;
    this.namespaceResource = namespace;
  }

  private bind(namespace: string, id: string, name: string, subjectNamespace: string, accounts: readonly string[], rule: { apiGroups: string[]; resources: string[]; verbs: string[] }[]): void {
    const role = new RoleV1(this, id, { metadata: { name, namespace }, rule });
    new RoleBindingV1(this, `${id}-binding`, {
      metadata: { name, namespace },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: role.metadata.name },
      subject: accounts.map((account) => ({ kind: "ServiceAccount", name: account, namespace: subjectNamespace })),
    });
  }
}

import { LimitRangeV1 } from "@cdktf/provider-kubernetes/lib/limit-range-v1";
import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import { ResourceQuotaV1 } from "@cdktf/provider-kubernetes/lib/resource-quota-v1";
import { RoleBindingV1 } from "@cdktf/provider-kubernetes/lib/role-binding-v1";
import { RoleV1 } from "@cdktf/provider-kubernetes/lib/role-v1";
import { ServiceAccountV1 } from "@cdktf/provider-kubernetes/lib/service-account-v1";
import { Construct } from "../core";
import type { ContainerResources } from "./airflow-values";

export const TASK_SERVICE_ACCOUNT = "airflow-task";

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
  /** Where Airflow runs; its worker and triggerer service accounts launch pods here. */
  readonly airflowNamespace: string;
  /** Service accounts allowed to manage pods here (the chart's worker and triggerer). */
  readonly launcherServiceAccounts: readonly string[];
  /**
   * IRSA role of the task service account. @default - no AWS access
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
 * The namespace KubernetesPodOperator tasks run in: a service account for them (optionally with
 * an IRSA role for S3), RBAC that lets Airflow create, watch and clean up pods here and nothing
 * else, and a quota and limit range so a runaway DAG cannot take the whole cluster.
 */
export class TaskNamespace extends Construct {
  readonly namespace: string;

  constructor(scope: Construct, id: string, props: TaskNamespaceProps) {
    super(scope, id);
    const namespace = new NamespaceV1(this, "namespace", {
      metadata: { name: props.name, labels: { "app.kubernetes.io/part-of": "airflow" } },
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
    const role = new RoleV1(this, "pod-launcher", {
      metadata: { name: "airflow-pod-launcher", namespace: ns },
      rule: [
        { apiGroups: [""], resources: ["pods"], verbs: ["create", "get", "list", "watch", "patch", "delete"] },
        { apiGroups: [""], resources: ["pods/log"], verbs: ["get", "list"] },
        // KubernetesPodOperator reads XCom from its sidecar through exec.
        { apiGroups: [""], resources: ["pods/exec"], verbs: ["create", "get"] },
        { apiGroups: [""], resources: ["events"], verbs: ["get", "list", "watch"] },
      ],
    });
    new RoleBindingV1(this, "pod-launcher-binding", {
      metadata: { name: "airflow-pod-launcher", namespace: ns },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: role.metadata.name },
      subject: props.launcherServiceAccounts.map((name) => ({ kind: "ServiceAccount", name, namespace: props.airflowNamespace })),
    });
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
  }
}

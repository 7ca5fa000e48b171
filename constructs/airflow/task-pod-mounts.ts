import { ConfigMapV1 } from "@cdktf/provider-kubernetes/lib/config-map-v1";
import { DataKubernetesConfigMapV1 } from "@cdktf/provider-kubernetes/lib/data-kubernetes-config-map-v1";
import { Construct, type ITerraformDependable } from "../core";
import type { SecretFromSecretsManager } from "../kubernetes/secret-from-secrets-manager";
import { LogVolume } from "../storage/log-volume";
import { CHART_OBJECT_NAMES } from "./chart-versions";

export interface TaskPodMountsProps {
  readonly airflowNamespace: string;
  readonly taskNamespace: string;
  /** The Airflow release: its ConfigMap is read after it. */
  readonly release: ITerraformDependable;
  readonly log: { readonly fileSystemId: string; readonly accessPointId: string; readonly claimName: string; readonly storageClassName: string };
  /** The DAG repository's deploy key as copied into Airflow's namespace from Secrets Manager, copied again here. @default - none (HTTPS, or made by hand in both namespaces) */
  readonly gitSshKey?: SecretFromSecretsManager;
}

/**
 * What a task pod mounts, in the task namespace where it runs (a pod mounts only its own
 * namespace's objects): the chart's `airflow-config` ConfigMap (airflow.cfg, the pod mutation
 * hook, known_hosts; no secret is in it), copied after every release; a claim on the task-log
 * access point; the DAG repository's deploy key. The task pod template names each by the same name
 * as in Airflow's namespace.
 */
export class TaskPodMounts extends Construct {
  readonly dependables: readonly ITerraformDependable[];

  constructor(scope: Construct, id: string, props: TaskPodMountsProps) {
    super(scope, id);
    const chartConfig = new DataKubernetesConfigMapV1(this, "chart-config", {
      metadata: { name: CHART_OBJECT_NAMES.config, namespace: props.airflowNamespace },
      dependsOn: [props.release],
    });
    const config = new ConfigMapV1(this, "config", {
      metadata: { name: CHART_OBJECT_NAMES.config, namespace: props.taskNamespace, labels: { "app.kubernetes.io/part-of": "airflow" } },
      data: chartConfig.getStringMapAttribute("data"),
    });
    const logs = new LogVolume(this, "log-volume", {
      namespace: props.taskNamespace,
      fileSystemId: props.log.fileSystemId,
      accessPointId: props.log.accessPointId,
      claimName: props.log.claimName,
      existingStorageClassName: props.log.storageClassName,
    });
    const key = props.gitSshKey ? [props.gitSshKey.copyTo(this, "git-ssh-key", props.taskNamespace)] : [];
    this.dependables = [config, logs.dependable, ...key];
  }
}

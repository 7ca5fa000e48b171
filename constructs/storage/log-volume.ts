import { PersistentVolumeClaimV1 } from "@cdktf/provider-kubernetes/lib/persistent-volume-claim-v1";
import { PersistentVolumeV1 } from "@cdktf/provider-kubernetes/lib/persistent-volume-v1";
import { StorageClassV1 } from "@cdktf/provider-kubernetes/lib/storage-class-v1";
import { Construct, type ITerraformDependable } from "../core";

export const EFS_CSI_PROVISIONER = "efs.csi.aws.com";

export interface LogVolumeProps {
  /** Namespace of the claim: Airflow's. */
  readonly namespace: string;
  readonly fileSystemId: string;
  /** The access point that presents every client as uid 50000 / gid 0. */
  readonly accessPointId: string;
  /**
   * @default "airflow-logs"
   * @see https://github.com/kubernetes-sigs/aws-efs-csi-driver/tree/master/examples/kubernetes/access_points
   */
  readonly claimName?: string;
  /**
   * Nominal size: EFS is elastic and ignores it, but Kubernetes requires one.
   * @default 100
   * @see https://github.com/kubernetes-sigs/aws-efs-csi-driver/tree/master/examples/kubernetes/access_points
   */
  readonly nominalSizeGi?: number;
  /**
   * A StorageClass another LogVolume made: a second claim on the same access point, in another
   * namespace (the task namespace's), binds its own PersistentVolume and makes no class.
   * @default - a StorageClass `efs` is made
   */
  readonly existingStorageClassName?: string;
}

/**
 * A ReadWriteMany claim on the task-log access point, bound statically to one PersistentVolume
 * so every task pod and the API server see the same directory, and a StorageClass for the EFS
 * CSI driver. The volume is retained: deleting the claim never deletes logs.
 * @see https://github.com/kubernetes-sigs/aws-efs-csi-driver/tree/master/examples/kubernetes/access_points
 */
export class LogVolume extends Construct {
  readonly claimName: string;
  readonly storageClassName: string;
  /** What a release mounting the claim must wait for. */
  readonly dependable: ITerraformDependable;

  constructor(scope: Construct, id: string, props: LogVolumeProps) {
    super(scope, id);
    const claimName = props.claimName ?? "airflow-logs";
    const size = `${props.nominalSizeGi ?? 100}Gi`;
    const storageClassName =
      props.existingStorageClassName ??
      new StorageClassV1(this, "storage-class", {
        metadata: { name: "efs" },
        storageProvisioner: EFS_CSI_PROVISIONER,
        reclaimPolicy: "Retain",
        volumeBindingMode: "Immediate",
      }).metadata.name;
    const volume = new PersistentVolumeV1(this, "volume", {
      metadata: { name: `${props.namespace}-${claimName}` },
      spec: [
        {
          accessModes: ["ReadWriteMany"],
          capacity: { storage: size },
          persistentVolumeReclaimPolicy: "Retain",
          storageClassName,
          // TLS in transit, matching the file system policy that refuses unencrypted NFS.
          mountOptions: ["tls"],
          persistentVolumeSource: {
            csi: { driver: EFS_CSI_PROVISIONER, volumeHandle: `${props.fileSystemId}::${props.accessPointId}` },
          },
        },
      ],
    });
    const claim = new PersistentVolumeClaimV1(this, "claim", {
      metadata: { name: claimName, namespace: props.namespace },
      spec: {
        accessModes: ["ReadWriteMany"],
        storageClassName,
        volumeName: volume.metadata.name,
        resources: { requests: { storage: size } },
      },
      waitUntilBound: true,
    });
    this.claimName = claimName;
    this.dependable = claim;
    this.storageClassName = storageClassName;
  }
}

/**
 * EKS managed add-on versions, keyed by the cluster's Kubernetes minor version.
 *
 * Source: the AWS EKS user guide's add-on tables and the upstream releases, as gathered on
 * 2026-11-24 (see data/versions.md). A version that is not a key here is a configuration error:
 * there is deliberately no fallback to an older row, because an add-on built for another minor can
 * break networking or DNS on the cluster.
 */
export const EKS_ADDON_VERSIONS = {
  "1.35": {
    "vpc-cni": "v1.23.1-eksbuild.1",
    "kube-proxy": "v1.35.3-eksbuild.13",
    coredns: "v1.14.3-eksbuild.3",
    "aws-efs-csi-driver": "v3.4.1-eksbuild.1",
  },
  "1.36": {
    "vpc-cni": "v1.23.1-eksbuild.1",
    "kube-proxy": "v1.36.0-eksbuild.14",
    coredns: "v1.14.3-eksbuild.3",
    "aws-efs-csi-driver": "v3.4.1-eksbuild.1",
  },
} as const;

export type EksVersion = keyof typeof EKS_ADDON_VERSIONS;
export type EksAddonName = keyof (typeof EKS_ADDON_VERSIONS)[EksVersion];
export type EksAddonVersions = Readonly<Record<EksAddonName, string>>;

export const SUPPORTED_EKS_VERSIONS = Object.keys(EKS_ADDON_VERSIONS) as EksVersion[];

export function isSupportedEksVersion(version: string): version is EksVersion {
  return Object.prototype.hasOwnProperty.call(EKS_ADDON_VERSIONS, version);
}

export function addonVersionsFor(version: EksVersion): EksAddonVersions {
  return EKS_ADDON_VERSIONS[version];
}

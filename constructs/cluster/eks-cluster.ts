import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { EksAccessEntry } from "@cdktf/provider-aws/lib/eks-access-entry";
import { EksAccessPolicyAssociation } from "@cdktf/provider-aws/lib/eks-access-policy-association";
import { EksCluster } from "@cdktf/provider-aws/lib/eks-cluster";
import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { Construct, Fn } from "../core";
import type { Duration } from "../../lib/units";
import type { OidcIdentity } from "../iam/irsa-role";
import { awsManagedPolicyArn, serviceTrustPolicy, toPolicyJson } from "../iam/policy-document";

/** Every control-plane log type EKS offers; all are on, since an audit gap cannot be filled later. */
export const CONTROL_PLANE_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"] as const;

export interface AirflowClusterProps {
  readonly clusterName: string;
  /** Kubernetes minor, e.g. `1.35`. */
  readonly version: string;
  readonly partition: string;
  readonly subnetIds: readonly string[];
  /** Key that envelope-encrypts Kubernetes Secrets. */
  readonly secretsKeyArn: string;
  /** Key for the control-plane log group; its policy must admit CloudWatch Logs. */
  readonly logsKeyArn: string;
  /**
   * How long control-plane logs are kept: one of CloudWatch Logs' retention periods, in days.
   * @see https://docs.aws.amazon.com/eks/latest/userguide/control-plane-logs.html
   */
  readonly logRetention: Duration;
  /**
   * CIDRs allowed to reach a public API endpoint. Empty keeps the endpoint private only.
   * @default []
   * @see https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html
   */
  readonly publicEndpointCidrs?: readonly string[];
  /**
   * @default "172.20.0.0/16"
   * @see https://docs.aws.amazon.com/eks/latest/APIReference/API_KubernetesNetworkConfigRequest.html
   */
  readonly serviceIpv4Cidr?: string;
  /**
   * IAM roles given cluster-admin through access entries.
   * @default []
   * @see https://docs.aws.amazon.com/eks/latest/userguide/access-entries.html
   */
  readonly adminRoleArns?: readonly string[];
}

/**
 * The EKS control plane: private endpoint, KMS-encrypted Secrets, all control-plane logs into a
 * log group it owns (so retention and encryption are ours), API-mode authentication and an IAM
 * OIDC provider for IRSA. Add-ons are installed as managed add-ons by {@link ClusterAddons}, so
 * the self-managed defaults are not bootstrapped.
 */
/** The cluster's IAM role name; the Secrets key's policy names it before the cluster exists. */
export function clusterRoleName(clusterName: string): string {
  return `${clusterName}-cluster`;
}

export class AirflowCluster extends Construct {
  readonly clusterName: string;
  readonly endpoint: string;
  readonly certificateAuthority: string;
  readonly clusterArn: string;
  /** The security group EKS attaches to the control plane and to managed nodes. */
  readonly clusterSecurityGroupId: string;
  readonly oidc: OidcIdentity;

  constructor(scope: Construct, id: string, props: AirflowClusterProps) {
    super(scope, id);
    const role = new IamRole(this, "role", {
      name: clusterRoleName(props.clusterName),
      assumeRolePolicy: toPolicyJson(serviceTrustPolicy("eks.amazonaws.com")),
    });
    const rolePolicy = new IamRolePolicyAttachment(this, "role-policy", {
      role: role.name,
      policyArn: awsManagedPolicyArn(props.partition, "AmazonEKSClusterPolicy"),
    });
    // EKS writes to /aws/eks/<name>/cluster; creating it first gives it our retention and key.
    const logGroup = new CloudwatchLogGroup(this, "log-group", {
      name: `/aws/eks/${props.clusterName}/cluster`,
      retentionInDays: props.logRetention.toDays(),
      kmsKeyId: props.logsKeyArn,
    });
    const publicCidrs = props.publicEndpointCidrs ?? [];
    const cluster = new EksCluster(this, "cluster", {
      name: props.clusterName,
      version: props.version,
      roleArn: role.arn,
      bootstrapSelfManagedAddons: false,
      enabledClusterLogTypes: [...CONTROL_PLANE_LOG_TYPES],
      accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: true },
      encryptionConfig: { resources: ["secrets"], provider: { keyArn: props.secretsKeyArn } },
      vpcConfig: {
        subnetIds: [...props.subnetIds],
        endpointPrivateAccess: true,
        endpointPublicAccess: publicCidrs.length > 0,
        publicAccessCidrs: publicCidrs.length > 0 ? [...publicCidrs] : undefined,
      },
      kubernetesNetworkConfig: { serviceIpv4Cidr: props.serviceIpv4Cidr ?? "172.20.0.0/16", ipFamily: "ipv4" },
      // STANDARD: when standard support ends AWS upgrades the cluster instead of silently
      // billing extended support at six times the hourly price.
      upgradePolicy: { supportType: "STANDARD" },
      dependsOn: [logGroup, rolePolicy],
    });
    const issuer = cluster.identity.get(0).oidc.get(0).issuer;
    const oidcProvider = new IamOpenidConnectProvider(this, "oidc-provider", {
      url: issuer,
      clientIdList: ["sts.amazonaws.com"],
    });
    (props.adminRoleArns ?? []).forEach((principalArn, i) => {
      const entry = new EksAccessEntry(this, `admin-${i}`, { clusterName: cluster.name, principalArn, type: "STANDARD" });
      new EksAccessPolicyAssociation(this, `admin-${i}-policy`, {
        clusterName: cluster.name,
        principalArn: entry.principalArn,
        policyArn: `arn:${props.partition}:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy`,
        accessScope: { type: "cluster" },
      });
    });

    this.clusterName = cluster.name;
    this.endpoint = cluster.endpoint;
    this.certificateAuthority = cluster.certificateAuthority.get(0).data;
    this.clusterArn = cluster.arn;
    this.clusterSecurityGroupId = cluster.vpcConfig.clusterSecurityGroupId;
    this.oidc = { providerArn: oidcProvider.arn, issuerHost: Fn.replace(issuer, "https://", "") };
  }
}

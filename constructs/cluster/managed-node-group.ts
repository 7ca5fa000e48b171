import { AutoscalingGroupTagA as AutoscalingGroupTag } from "@cdktf/provider-aws/lib/autoscaling-group-tag";
import { EksNodeGroup } from "@cdktf/provider-aws/lib/eks-node-group";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import { Construct, type ITerraformDependable } from "../core";
import { architectureOf, ec2InstanceTypes, type CpuArchitecture } from "../../sizing/instance-data";
import type { Ec2InstanceType, Size } from "../../lib/units";
import type { NodeTaint } from "./node-placement";

export interface ManagedNodeGroupProps {
  readonly clusterName: string;
  /** Kubernetes minor of the nodes; the cluster's. */
  readonly kubernetesVersion: string;
  /** Short name, e.g. `tasks`; the node group is named `<cluster>-<name>-<suffix>`. */
  readonly name: string;
  readonly nodeRoleArn: string;
  readonly subnetIds: readonly string[];
  /** One architecture only: the AMI type is chosen from it. */
  readonly instanceTypes: readonly Ec2InstanceType[];
  /**
   * The instance types' architecture, for types data/aws does not list.
   * @default - looked up in data/aws/instance-types.csv; an unknown type is an error
   * @see https://docs.aws.amazon.com/eks/latest/APIReference/API_Nodegroup.html#AmazonEKS-Type-Nodegroup-amiType
   */
  readonly architecture?: CpuArchitecture;
  /**
   * @default "ON_DEMAND"
   * @see https://docs.aws.amazon.com/eks/latest/userguide/managed-node-groups.html#managed-node-group-capacity-types
   */
  readonly capacityType?: "ON_DEMAND" | "SPOT";
  readonly minSize: number;
  readonly maxSize: number;
  /** Used only at creation: afterwards the Cluster Autoscaler owns it. */
  readonly desiredSize: number;
  /**
   * gp3 root volume size. @default Size.gibibytes(50)
   * @see https://docs.aws.amazon.com/ebs/latest/userguide/general-purpose.html
   */
  readonly diskSize?: Size;
  /**
   * @default {}
   * @see https://docs.aws.amazon.com/eks/latest/userguide/node-taints-managed-node-groups.html
   */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * @default []
   * @see https://docs.aws.amazon.com/eks/latest/userguide/node-taints-managed-node-groups.html
   */
  readonly taints?: readonly NodeTaint[];
  /**
   * Resources the group must wait for (the node role's policies). @default []
   * @see https://developer.hashicorp.com/terraform/language/meta-arguments/depends_on
   */
  readonly dependsOn?: readonly ITerraformDependable[];
}

const TAINT_EFFECTS = { NoSchedule: "NO_SCHEDULE", NoExecute: "NO_EXECUTE", PreferNoSchedule: "PREFER_NO_SCHEDULE" } as const;

/**
 * The AL2023 AMI for the instance types' architecture, which comes from data/aws (EC2's own
 * figures) unless given: a name pattern would miss a1 and whatever family AWS names next.
 */
export function amiTypeFor(instanceTypes: readonly string[], architecture?: CpuArchitecture): "AL2023_ARM_64_STANDARD" | "AL2023_x86_64_STANDARD" {
  const found = architecture ?? architectureOf(instanceTypes, ec2InstanceTypes());
  if (found === undefined) {
    throw new Error(`amiTypeFor: no architecture for ${instanceTypes.join(", ")} in data/aws/instance-types.csv; pass architecture`);
  }
  if (found === "mixed") {
    throw new Error(`amiTypeFor: instance types ${instanceTypes.join(", ")} mix arm64 and x86_64; a node group runs one AMI`);
  }
  return found === "arm64" ? "AL2023_ARM_64_STANDARD" : "AL2023_x86_64_STANDARD";
}

/**
 * Ephemeral storage a node offers pods: its root volume less the kubelet's 10 % `nodefs.available`
 * eviction threshold and the 1 GiB the EKS AMI reserves for the kubelet (Karpenter's instance-type
 * reference lists 17Gi for a 20 GiB volume, the same arithmetic).
 */
export function ephemeralStorageGiB(diskSizeGiB: number): number {
  return Math.floor(diskSizeGiB * 0.9 - 1);
}

/**
 * Tags the Cluster Autoscaler reads: the two auto-discovery tags, and node-template tags that
 * describe the group's labels, taints and resources so it can scale a group up from zero nodes.
 * From zero the autoscaler takes CPU and memory from the instance type, and everything else only
 * from `node-template/resources/*`: without the ephemeral-storage tag a task that requests local
 * disk would never start a node.
 * @see https://github.com/kubernetes/autoscaler/blob/master/cluster-autoscaler/cloudprovider/aws/README.md
 */
export function clusterAutoscalerTags(
  clusterName: string,
  labels: Readonly<Record<string, string>>,
  taints: readonly NodeTaint[],
  resources: Readonly<Record<string, string>> = {},
): Record<string, string> {
  const tags: Record<string, string> = {
    "k8s.io/cluster-autoscaler/enabled": "true",
    [`k8s.io/cluster-autoscaler/${clusterName}`]: "owned",
  };
  for (const [key, value] of Object.entries(labels)) {
    tags[`k8s.io/cluster-autoscaler/node-template/label/${key}`] = value;
  }
  for (const taint of taints) {
    tags[`k8s.io/cluster-autoscaler/node-template/taint/${taint.key}`] = `${taint.value}:${taint.effect}`;
  }
  for (const [name, amount] of Object.entries(resources)) {
    tags[`k8s.io/cluster-autoscaler/node-template/resources/${name}`] = amount;
  }
  return tags;
}

/**
 * A managed node group on its own launch template: IMDSv2 required with a hop limit of 1 (pods
 * use IRSA, never the node's role), an encrypted gp3 root volume, and the autoscaler's tags on
 * the group and its Auto Scaling group.
 */
export class ManagedNodeGroup extends Construct {
  readonly nodeGroupName: string;
  /** What must wait for nodes to exist (add-ons whose pods need somewhere to run). */
  readonly nodeGroup: ITerraformDependable;

  constructor(scope: Construct, id: string, props: ManagedNodeGroupProps) {
    super(scope, id);
    const prefix = `${props.clusterName}-${props.name}`;
    const diskSizeGiB = props.diskSize?.toGibibytes() ?? 50;
    const launchTemplate = new LaunchTemplate(this, "launch-template", {
      namePrefix: `${prefix}-`,
      description: `Nodes of ${prefix}`,
      updateDefaultVersion: true,
      metadataOptions: {
        httpEndpoint: "enabled",
        httpTokens: "required",
        httpPutResponseHopLimit: 1,
        instanceMetadataTags: "disabled",
      },
      // Encrypted with the account's EBS key: a customer key would also need a grant for the
      // Auto Scaling service-linked role, or instances fail to launch.
      blockDeviceMappings: [
        {
          deviceName: "/dev/xvda",
          ebs: { volumeSize: diskSizeGiB, volumeType: "gp3", encrypted: "true", deleteOnTermination: "true" },
        },
      ],
      monitoring: { enabled: true },
      tagSpecifications: [
        { resourceType: "instance", tags: { Name: prefix } },
        { resourceType: "volume", tags: { Name: prefix } },
      ],
    });
    const labels = props.labels ?? {};
    const taints = props.taints ?? [];
    const autoscalerTags = clusterAutoscalerTags(props.clusterName, labels, taints, {
      "ephemeral-storage": `${ephemeralStorageGiB(diskSizeGiB)}Gi`,
    });
    const group = new EksNodeGroup(this, "node-group", {
      clusterName: props.clusterName,
      nodeGroupNamePrefix: `${prefix}-`,
      version: props.kubernetesVersion,
      nodeRoleArn: props.nodeRoleArn,
      subnetIds: [...props.subnetIds],
      amiType: amiTypeFor(props.instanceTypes, props.architecture),
      instanceTypes: [...props.instanceTypes],
      capacityType: props.capacityType ?? "ON_DEMAND",
      scalingConfig: { minSize: props.minSize, maxSize: props.maxSize, desiredSize: props.desiredSize },
      updateConfig: { maxUnavailablePercentage: 33 },
      launchTemplate: { id: launchTemplate.id, version: `${launchTemplate.latestVersion}` },
      labels: { ...labels },
      taint: taints.map((t) => ({ key: t.key, value: t.value, effect: TAINT_EFFECTS[t.effect] })),
      tags: { Name: prefix, ...autoscalerTags },
      lifecycle: { ignoreChanges: ["scaling_config[0].desired_size"], createBeforeDestroy: true },
      dependsOn: [...(props.dependsOn ?? [])],
    });
    // Managed node groups do not copy their tags to the Auto Scaling group, where the autoscaler
    // looks for the node-template tags when a group has no node to read labels from.
    const asgName = group.resources.get(0).autoscalingGroups.get(0).name;
    Object.entries(autoscalerTags)
      .filter(([key]) => key.includes("/node-template/"))
      .forEach(([key, value], i) => {
        new AutoscalingGroupTag(this, `asg-tag-${i}`, {
          autoscalingGroupName: asgName,
          tag: { key, value, propagateAtLaunch: false },
        });
      });
    this.nodeGroupName = group.nodeGroupName;
    this.nodeGroup = group;
  }
}

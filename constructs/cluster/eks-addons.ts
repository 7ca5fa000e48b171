import { EksAddon } from "@cdktf/provider-aws/lib/eks-addon";
import { Construct, type ITerraformDependable } from "../core";
import { addonConfigurationValues } from "./addon-configuration";
import type { EksAddonName, EksAddonVersions } from "./addon-versions";

export interface EksAddonSetProps {
  readonly clusterName: string;
  /** Which add-ons this set installs, in no particular order. */
  readonly addons: readonly EksAddonName[];
  /** Pinned versions for the cluster's minor (see addon-versions.ts). */
  readonly versions: EksAddonVersions;
  /**
   * IRSA role per add-on that needs AWS access. @default {}
   * @see https://docs.aws.amazon.com/eks/latest/userguide/add-ons-iam.html
   */
  readonly serviceAccountRoleArns?: Partial<Record<EksAddonName, string>>;
  /**
   * @default []
   * @see https://developer.hashicorp.com/terraform/language/meta-arguments/depends_on
   */
  readonly dependsOn?: readonly ITerraformDependable[];
}

/**
 * EKS managed add-ons at pinned versions. Two sets make the order work: networking (vpc-cni,
 * kube-proxy) before nodes, so nodes become Ready; coredns and the EFS CSI driver after nodes,
 * because their pods need somewhere to run or the add-on hangs in DEGRADED.
 * @see https://docs.aws.amazon.com/eks/latest/userguide/eks-add-ons.html
 */
export class EksAddonSet extends Construct {
  readonly installed: readonly ITerraformDependable[];

  constructor(scope: Construct, id: string, props: EksAddonSetProps) {
    super(scope, id);
    this.installed = props.addons.map(
      (name) =>
        new EksAddon(this, name, {
          clusterName: props.clusterName,
          addonName: name,
          addonVersion: props.versions[name],
          serviceAccountRoleArn: props.serviceAccountRoleArns?.[name],
          configurationValues: addonConfigurationValues(name),
          // Take over whatever a previous self-managed install left on create; keep later
          // hand-made changes visible as drift instead of silently overwriting them.
          resolveConflictsOnCreate: "OVERWRITE",
          resolveConflictsOnUpdate: "PRESERVE",
          dependsOn: [...(props.dependsOn ?? [])],
        }),
    );
  }
}

import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { Construct } from "../core";
import { policyDocument, toPolicyJson, type PolicyDocument } from "./policy-document";

/** The cluster's OIDC identity, as IRSA trust policies need it. */
export interface OidcIdentity {
  /** ARN of the cluster's IAM OIDC provider. */
  readonly providerArn: string;
  /** The issuer without `https://`, the prefix of the `sub` and `aud` condition keys. */
  readonly issuerHost: string;
}

export interface ServiceAccountRef {
  readonly namespace: string;
  readonly name: string;
}

export interface IrsaRoleProps {
  readonly roleName: string;
  readonly oidc: OidcIdentity;
  /** The one Kubernetes service account allowed to assume the role. */
  readonly serviceAccount: ServiceAccountRef;
  /**
   * An inline policy with what the workload may do. @default - none
   * @see https://docs.aws.amazon.com/eks/latest/userguide/associate-service-account-role.html
   */
  readonly policy?: PolicyDocument;
  /**
   * AWS managed policies to attach. @default []
   * @see https://docs.aws.amazon.com/eks/latest/userguide/associate-service-account-role.html
   */
  readonly managedPolicyArns?: readonly string[];
}

/**
 * Trust bound to exactly one `namespace:serviceaccount` through the issuer's `sub` condition, and
 * to STS through `aud`, so no other pod in the cluster can assume the role.
 * @see https://docs.aws.amazon.com/eks/latest/userguide/associate-service-account-role.html
 */
export function irsaTrustPolicy(oidc: OidcIdentity, serviceAccount: ServiceAccountRef): PolicyDocument {
  return policyDocument({
    Effect: "Allow",
    Principal: { Federated: oidc.providerArn },
    Action: "sts:AssumeRoleWithWebIdentity",
    Condition: {
      StringEquals: {
        [`${oidc.issuerHost}:sub`]: `system:serviceaccount:${serviceAccount.namespace}:${serviceAccount.name}`,
        [`${oidc.issuerHost}:aud`]: "sts.amazonaws.com",
      },
    },
  });
}

/** An IAM role for one Kubernetes service account (IRSA). */
export class IrsaRole extends Construct {
  readonly roleArn: string;
  readonly roleName: string;

  constructor(scope: Construct, id: string, props: IrsaRoleProps) {
    super(scope, id);
    const role = new IamRole(this, "role", {
      name: props.roleName,
      description: `IRSA role for ${props.serviceAccount.namespace}/${props.serviceAccount.name}`,
      assumeRolePolicy: toPolicyJson(irsaTrustPolicy(props.oidc, props.serviceAccount)),
    });
    if (props.policy) {
      new IamRolePolicy(this, "policy", {
        role: role.name,
        name: props.roleName,
        policy: toPolicyJson(props.policy),
      });
    }
    (props.managedPolicyArns ?? []).forEach((policyArn, i) => {
      new IamRolePolicyAttachment(this, `managed-${i}`, { role: role.name, policyArn });
    });
    this.roleArn = role.arn;
    this.roleName = role.name;
  }
}

import { readFileSync } from "node:fs";
import { dataFile } from "../../lib/data-files";
import type { PolicyDocument } from "../iam/policy-document";

/** The inline policy's name ends so; the policy suite finds the controller's policy by it. */
export const LOAD_BALANCER_CONTROLLER_POLICY_SUFFIX = "-aws-load-balancer-controller";

/**
 * The upstream policy grants these on every resource with no condition that narrows them. The
 * policy suite's `iam-no-wildcard-actions` rule fails the controller's policy for them, and the
 * platform's waiver list (policies/waivers.ts) waives exactly this set, for these reasons, so
 * `policy` says "waived". Each reason says why no resource ARN or tag condition would do; a new
 * upstream action is a failure until it is listed here with its own.
 * @see https://github.com/kubernetes-sigs/aws-load-balancer-controller/blob/main/docs/install/iam_policy.json
 */
export const RESOURCE_WIDE_ACTIONS: Readonly<Record<string, string>> = {
  "ec2:CreateSecurityGroup":
    "creates the load balancer's own security groups; a group that does not exist yet has no tag to condition on (its tags are written by CreateTags, which is conditioned)",
  "ec2:AuthorizeSecurityGroupIngress":
    "admits the load balancer to the pods by adding a rule to the node security group EKS created, which carries no controller tag",
  "ec2:RevokeSecurityGroupIngress": "removes that rule from the EKS-created node security group again when the Ingress goes",
  "elasticloadbalancing:CreateListener": "listeners are created on the controller's load balancers before any tag exists on them",
  "elasticloadbalancing:DeleteListener": "listeners made by controller versions that did not tag listeners carry no cluster tag",
  "elasticloadbalancing:CreateRule": "rules are created on listeners that may predate listener tagging",
  "elasticloadbalancing:DeleteRule": "rules made by controller versions that did not tag rules carry no cluster tag",
  "elasticloadbalancing:ModifyListener": "sets the certificate and TLS policy on listeners that may predate listener tagging",
  "elasticloadbalancing:AddListenerCertificates": "adds the ACM certificates an Ingress names to its listener",
  "elasticloadbalancing:RemoveListenerCertificates": "removes certificates an Ingress no longer names",
  "elasticloadbalancing:ModifyRule": "updates routing rules on listeners that may predate rule tagging",
  "elasticloadbalancing:SetRulePriorities": "reorders those rules when an Ingress changes its paths",
  "elasticloadbalancing:SetWebAcl": "associates the WAF web ACL an Ingress annotation names with the controller's load balancer",
  "waf-regional:AssociateWebACL": "the same for classic regional WAF; the web ACL is the team's, not tagged by the controller",
  "waf-regional:DisassociateWebACL": "removes that association when the annotation goes",
  "wafv2:AssociateWebACL": "associates the WAFv2 web ACL an Ingress annotation names; the web ACL is the team's, not tagged by the controller",
  "wafv2:DisassociateWebACL": "removes that association when the annotation goes",
  "shield:CreateProtection": "turns on Shield Advanced for the load balancer when an annotation asks; protections have no tag to condition on before they exist",
  "shield:DeleteProtection": "turns Shield Advanced off again when the annotation goes",
  "ec2:GetCoipPoolUsage": "reads the customer-owned IP pools of Outposts an Ingress may name; the pools are not the controller's and carry no tag of it",
  "ec2:GetSecurityGroupsForVpc": "finds the security groups of the cluster's VPC to pick the node group's; which VPC is only known at run time",
  "iam:GetServerCertificate": "reads the IAM server certificate (public part only) an Ingress annotation names; those are the team's, not tagged by the controller",
  "waf-regional:GetWebACL": "reads the classic regional web ACL an Ingress annotation names; the ACL is the team's, not tagged by the controller",
  "waf-regional:GetWebACLForResource": "reads which classic web ACL a load balancer has, to reconcile the annotation",
  "wafv2:GetWebACL": "reads the WAFv2 web ACL an Ingress annotation names; the ACL is the team's, not tagged by the controller",
  "wafv2:GetWebACLForResource": "reads which WAFv2 web ACL a load balancer has, to reconcile the annotation",
};

/**
 * The controller's IAM policy exactly as its install guide publishes it (data/), with the
 * standard partition in its ARNs replaced by the environment's. Keeping it verbatim means an
 * upgrade is a copy of the new file, and the controller gets every call it makes.
 */
export function loadBalancerControllerPolicy(partition: string): PolicyDocument {
  const text = readFileSync(dataFile("aws-load-balancer-controller", "iam_policy.json"), "utf8");
  return JSON.parse(text.replaceAll('"arn:aws:', `"arn:${partition}:`)) as PolicyDocument;
}

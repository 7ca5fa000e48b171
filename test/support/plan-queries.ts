import assert from "node:assert/strict";
import { plannedResources, type TerraformPlan } from "./terraform";

// Questions the infrastructure plan tests ask of a real `terraform show -json` plan.

/** The node group whose nodes carry `airflow-platform/pool=<pool>`. */
export function nodeGroupOf(plan: TerraformPlan, pool: string) {
  const found = plannedResources(plan, "aws_eks_node_group").filter((g) => (g.values.labels as Record<string, string>)["airflow-platform/pool"] === pool);
  assert.equal(found.length, 1, `one node group labelled airflow-platform/pool=${pool}`);
  return found[0];
}

/** Tags planned on the Auto Scaling group behind a node group (found through the tag's reference to it). */
export function asgTagsOf(plan: TerraformPlan, nodeGroupAddress: string): Record<string, string> {
  const configured = plan.configuration.root_module.resources as { address: string; type: string; expressions?: { autoscaling_group_name?: { references?: string[] } } }[];
  const addresses = configured
    .filter((r) => r.type === "aws_autoscaling_group_tag" && (r.expressions?.autoscaling_group_name?.references ?? []).some((ref) => ref.startsWith(`${nodeGroupAddress}.`)))
    .map((r) => r.address);
  const tags = plannedResources(plan, "aws_autoscaling_group_tag")
    .filter((t) => addresses.includes(t.address))
    .map((t) => (t.values.tag as { key: string; value: string }[])[0]);
  return Object.fromEntries(tags.map((t) => [t.key, t.value]));
}

/** Whether references name the platform's KMS key of one kind (`aws_kms_key.keys_<kind>_key…`). */
export function kmsKeyRef(refs: readonly string[], keyName: string): boolean {
  return refs.some((r) => r.startsWith(`aws_kms_key.keys_${keyName}_key`));
}

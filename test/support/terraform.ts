import { join } from "node:path";
import { writeFileSync } from "node:fs";
import {
  assertOfflineTerraformAvailable,
  offlineCopy,
  planOffline as planStackOffline,
  terraform,
  type PlanResult,
  type PlannedResource,
  type TerraformPlan,
} from "../../tools/plan/offline-plan";
import { tempDir } from "./temp";

// The offline plan itself ships with the package (tools/policy/offline-plan.ts, for the policy
// command); the tests keep each plan's working directory for the test process's lifetime.
export { AWS_PROVIDER_VERSION, DEFAULT_PROVIDER_MIRROR as PROVIDER_MIRROR, assertOfflineTerraformAvailable, offlineCliConfig } from "../../tools/plan/offline-plan";
export type { PlanResult, PlannedResource, TerraformPlan } from "../../tools/plan/offline-plan";

/** Copies a synthesized stack, adds the offline override, then init, validate, plan, show -json. */
export function planOffline(stackDir: string): PlanResult {
  return planStackOffline(stackDir, tempDir("plan"));
}

/** A resource already in state, as a hand-written prior state lists it. */
export interface PriorResource {
  readonly type: string;
  readonly name: string;
  readonly attributes: Record<string, unknown>;
}

/**
 * Plans a stack against a prior state written by hand (`-refresh=false`, so nothing is read from
 * AWS): how a change to an existing environment would be planned. Returns Terraform's verdict
 * instead of throwing, so a refused plan can be asserted on.
 */
export function planAgainstState(stackDir: string, prior: readonly PriorResource[]): { readonly ok: boolean; readonly output: string; readonly plan?: TerraformPlan } {
  assertOfflineTerraformAvailable();
  const workdir = tempDir("plan-state");
  offlineCopy(stackDir, workdir);
  const state = {
    version: 4,
    terraform_version: "1.11.4",
    serial: 1,
    lineage: "00000000-0000-4000-8000-000000000000",
    outputs: {},
    resources: prior.map((r) => ({
      mode: "managed",
      type: r.type,
      name: r.name,
      provider: 'provider["registry.terraform.io/hashicorp/aws"]',
      instances: [{ schema_version: 0, attributes: r.attributes, sensitive_attributes: [] }],
    })),
  };
  writeFileSync(join(workdir, "offline-test.tfstate"), JSON.stringify(state));
  terraform(workdir, ["init", "-input=false", "-no-color"]);
  try {
    terraform(workdir, ["plan", "-refresh=false", "-input=false", "-no-color", "-lock=false", "-out=offline.plan"]);
  } catch (error) {
    return { ok: false, output: (error as Error).message };
  }
  return { ok: true, output: "", plan: JSON.parse(terraform(workdir, ["show", "-json", "offline.plan"])) as TerraformPlan };
}

export function plannedResources(plan: TerraformPlan, type: string): PlannedResource[] {
  return (plan.planned_values.root_module.resources ?? []).filter((r) => r.type === type);
}

export function onlyPlanned(plan: TerraformPlan, type: string): PlannedResource {
  const found = plannedResources(plan, type);
  if (found.length !== 1) throw new Error(`expected one ${type} in the plan, found ${found.length}`);
  return found[0];
}

type Expression = { readonly constant_value?: unknown; readonly references?: string[] } | Expression[] | { readonly [key: string]: Expression };

/**
 * The resources an attribute of a configured resource refers to, from the plan's configuration
 * section (values that are unknown until apply are still visible here as references).
 */
export function referencesOf(plan: TerraformPlan, type: string, path: readonly (string | number)[], index = 0): string[] {
  const configured = plan.configuration.root_module.resources.filter((r) => r.type === type)[index] as
    | { readonly expressions?: Expression }
    | undefined;
  let node: unknown = configured?.expressions;
  for (const key of path) {
    if (typeof node !== "object" || node === null) return [];
    node = (node as Record<string | number, unknown>)[key];
  }
  const refs = (node as { references?: string[] } | undefined)?.references;
  return refs ?? [];
}

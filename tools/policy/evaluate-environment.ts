import { existsSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { accountBootstrapStackName } from "../../configuration/derived/pipeline-identities";
import type { EnvironmentConfig } from "../../configuration/schema/environment-config";
import { evaluatePolicies } from "./engine";
import { viewsFromPlan, viewsFromSynth } from "./resource-views";
import type { PolicyResult } from "./types";
import { PLATFORM_WAIVERS } from "./waivers";

/** Where an environment's stacks were synthesized, and its infrastructure plan if one was made. */
export interface EnvironmentArtifacts {
  readonly stackDir: (stackName: string) => string;
  /** `terraform show -json` of the infrastructure stack's plan. */
  readonly infrastructurePlan?: unknown;
}

function synthesized(dir: string): Record<string, never> {
  return JSON.parse(readFileSync(join(dir, "cdk.tf.json"), "utf8")) as Record<string, never>;
}

function bootstrapViews(dir: string): ReturnType<typeof viewsFromSynth> {
  return existsSync(join(dir, "cdk.tf.json")) ? viewsFromSynth(basename(dir), synthesized(dir)) : [];
}

/** The policy suite over an environment: the planned infrastructure stack and the synthesized others. */
export function evaluateEnvironment(config: EnvironmentConfig, artifacts: EnvironmentArtifacts): PolicyResult[] {
  const infra = `${config.name}-infrastructure`;
  const infraJson = synthesized(artifacts.stackDir(infra));
  const resources = [
    ...(artifacts.infrastructurePlan ? viewsFromPlan(infra, infraJson, artifacts.infrastructurePlan) : viewsFromSynth(infra, infraJson)),
    ...["platform", "observability"].flatMap((layer) => viewsFromSynth(`${config.name}-${layer}`, synthesized(artifacts.stackDir(`${config.name}-${layer}`)))),
    // The pipeline's OIDC provider and roles, from the environment's account's bootstrap stack
    // (absent when an app synthesized only its own stacks).
    ...bootstrapViews(artifacts.stackDir(accountBootstrapStackName(config.account.id))),
  ];
  return evaluatePolicies({ environment: config, resources }, [...PLATFORM_WAIVERS, ...config.policyWaivers]);
}

import { cpSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { EnvironmentConfig } from "../../../configuration/schema/environment-config";
import { accountBootstrapStackName } from "../../../configuration/derived/pipeline-identities";
import type { CheckovArtefact } from "./checkov-summary";

export interface EnvironmentArtefactInputs {
  readonly config: EnvironmentConfig;
  readonly stackDir: (stackName: string) => string;
  /** `terraform show -json` of the infrastructure stack's offline plan; else its synthesized JSON is read. */
  readonly infrastructurePlan?: unknown;
  /** Rendered manifests (YAML) by release name. */
  readonly releases: readonly { readonly release: string; readonly yaml: string }[];
}

/**
 * Lays an environment's artefacts out under `<root>/<env>/` the way checkov finds them: the plan
 * as `*.tfplan.json`, each synthesized stack as `<stack>/cdk.tf.json`, each release as `<release>.yaml`.
 */
export function writeEnvironmentArtefacts(root: string, inputs: EnvironmentArtefactInputs): CheckovArtefact[] {
  const { config } = inputs;
  const base = join(root, config.name);
  mkdirSync(base, { recursive: true });
  const artefacts: CheckovArtefact[] = [];
  const synthesized = (stack: string) => {
    const source = join(inputs.stackDir(stack), "cdk.tf.json");
    if (!existsSync(source)) return;
    mkdirSync(join(base, stack), { recursive: true });
    cpSync(source, join(base, stack, "cdk.tf.json"));
    artefacts.push({ name: stack, kind: "stack", path: `${config.name}/${stack}` });
  };
  const infrastructure = `${config.name}-infrastructure`;
  if (inputs.infrastructurePlan === undefined) synthesized(infrastructure);
  else {
    writeFileSync(join(base, `${infrastructure}.tfplan.json`), JSON.stringify(inputs.infrastructurePlan));
    artefacts.push({ name: infrastructure, kind: "stack", path: `${config.name}/${infrastructure}.tfplan.json` });
  }
  for (const stack of [`${config.name}-platform`, `${config.name}-observability`, accountBootstrapStackName(config.account.id)]) synthesized(stack);
  for (const { release, yaml } of inputs.releases) {
    writeFileSync(join(base, `${release}.yaml`), yaml);
    artefacts.push({ name: release, kind: "release", path: `${config.name}/${release}.yaml` });
  }
  return artefacts;
}

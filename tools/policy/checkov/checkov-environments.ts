import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { EnvironmentConfig } from "../../../configuration/schema/environment-config";
import { PLATFORM_WAIVERS } from "../waivers";
import { countCheckov, type CheckovCount } from "./checkov-summary";
import { writeEnvironmentArtefacts } from "./environment-artefacts";
import { renderReleases } from "./render-releases";
import { runCheckov } from "./run-checkov";

/**
 * checkov over several environments in one run (it starts slowly; one run reads them all): each
 * environment's infrastructure plan, synthesized stacks and rendered releases, counted per
 * artefact against the platform's waivers and the environment's own.
 */
export function checkovEnvironments(
  configs: readonly EnvironmentConfig[],
  stackDir: (stackName: string) => string,
  infrastructurePlans: ReadonlyMap<string, unknown>,
): Map<string, CheckovCount[]> {
  const root = mkdtempSync(join(tmpdir(), "airflow-platform-checkov-"));
  try {
    const artefacts = new Map(
      configs.map((config) => [
        config.name,
        writeEnvironmentArtefacts(root, { config, stackDir, infrastructurePlan: infrastructurePlans.get(config.name), releases: renderReleases(config, stackDir) }),
      ]),
    );
    const results = runCheckov(root);
    return new Map(configs.map((config) => [config.name, countCheckov(artefacts.get(config.name) ?? [], results, [...PLATFORM_WAIVERS, ...config.policyWaivers])]));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

import { readFileSync } from "node:fs";
import { parse } from "yaml";

// The values a release really gets are the ones Terraform hands Helm: the `values` of the
// helm_release in the synthesized platform stack. Read from there, a release is rendered with what
// the construct wrote, Terraform references (an IRSA role's ARN, the VPC's id) left as the
// `${…}` strings Terraform fills in at apply.

interface HelmReleaseResource {
  readonly chart?: string;
  readonly version?: string;
  readonly values?: readonly string[];
}

export interface StackWithReleases {
  readonly resource: Record<string, Record<string, Record<string, unknown>>>;
}

/** The synthesized stack JSON (`cdk.tf.json`) in a stack directory. */
export function readStackJson(stackDir: string): StackWithReleases {
  return JSON.parse(readFileSync(`${stackDir}/cdk.tf.json`, "utf8")) as StackWithReleases;
}

/**
 * The values of the one helm_release of `chart` in a synthesized stack, checked to install
 * `version` (the chart copied into data/); a missing release, a second one or another version fails.
 */
export function stackReleaseValues(stack: StackWithReleases, stackName: string, chart: string, version: string): Record<string, unknown> {
  const releases = Object.entries(stack.resource.helm_release ?? {}).filter(([, r]) => (r as HelmReleaseResource).chart === chart);
  if (releases.length !== 1) throw new Error(`${stackName}: expected one helm_release of chart ${chart}, found ${releases.length} (${releases.map(([id]) => id).join(", ") || "none"})`);
  const [id, release] = releases[0] as [string, HelmReleaseResource];
  if (release.version !== version) {
    throw new Error(`${stackName}: helm_release.${id} installs ${chart} ${String(release.version)}, but data/ holds ${version}: copy that version's chart into data/ or change the pin`);
  }
  // The constructs hand Helm one values document; several would need Helm's deep merge, not done here.
  const documents = release.values ?? [];
  if (documents.length !== 1) throw new Error(`${stackName}: helm_release.${id} has ${documents.length} values documents; this reader takes exactly one`);
  return (parse(documents[0]) ?? {}) as Record<string, unknown>;
}

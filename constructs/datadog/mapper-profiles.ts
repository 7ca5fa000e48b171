import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { dataFile } from "../../lib/data-files";
import { mapperRegex } from "./mapper-match";

// The Airflow DogStatsD mapper profiles from Datadog's Airflow integration README, in their YAML
// form (31 mappings; the README's JSON form lacks three). The agent chart has no value for mapper
// profiles, so they reach the agent as the DD_DOGSTATSD_MAPPER_PROFILES variable, in JSON.
// Only the mappings that match a name Airflow still sends on this platform are given to the
// agent: with Airflow's own tags on, the dotted legacy names that repeat a tagged metric are not
// sent at all (`[metrics] metrics_block_list`), so their mappings would only be dead weight.

const PROFILES_PATH = dataFile("datadog", "airflow-dogstatsd-mapper-profiles.yaml");

export interface MapperMapping {
  readonly match: string;
  readonly name: string;
  readonly match_type?: string;
  readonly tags?: Readonly<Record<string, string>>;
}

export interface MapperProfile {
  readonly name: string;
  readonly prefix: string;
  readonly mappings: readonly MapperMapping[];
}

let profiles: readonly MapperProfile[] | undefined;

/** Read once per process: every environment's agent release starts from the same profiles. */
export function airflowMapperProfiles(): readonly MapperProfile[] {
  if (profiles) return profiles;
  const document = parse(readFileSync(PROFILES_PATH, "utf8")) as { dogstatsd_mapper_profiles?: MapperProfile[] };
  const read = document.dogstatsd_mapper_profiles;
  if (!Array.isArray(read) || read.length === 0) {
    throw new Error(`${PROFILES_PATH}: no dogstatsd_mapper_profiles`);
  }
  profiles = read;
  return profiles;
}

/**
 * The profiles cut down to the mappings the agent would apply to at least one of the metric
 * names sent: the first profile whose prefix a name has decides, and in it the first mapping
 * that matches (as the agent does), so a mapping shadowed by an earlier one is dropped too.
 */
export function mappingsInUse(all: readonly MapperProfile[], sentNames: readonly string[]): MapperProfile[] {
  const used = new Set<MapperMapping>();
  for (const name of sentNames) {
    const profile = all.find((p) => name.startsWith(p.prefix) || p.prefix === "*");
    const mapping = profile?.mappings.find((m) => mapperRegex(m.match, m.match_type).test(name));
    if (mapping) used.add(mapping);
  }
  return all.map((p) => ({ ...p, mappings: p.mappings.filter((m) => used.has(m)) })).filter((p) => p.mappings.length > 0);
}

/** The value of DD_DOGSTATSD_MAPPER_PROFILES. */
export function mapperProfilesEnvValue(selected: readonly MapperProfile[]): string {
  return JSON.stringify(selected);
}

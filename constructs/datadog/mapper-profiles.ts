import { readFileSync } from "node:fs";
import { dataFile } from "../data-files";
import { parse } from "yaml";

// The Airflow DogStatsD mapper profiles from Datadog's Airflow integration README, in their YAML
// form (31 mappings; the README's JSON form lacks three). The agent chart has no value for mapper
// profiles, so they reach the agent as the DD_DOGSTATSD_MAPPER_PROFILES variable, in JSON.

const PROFILES_PATH = dataFile("datadog", "airflow-dogstatsd-mapper-profiles.yaml");

export interface MapperProfile {
  readonly name: string;
  readonly prefix: string;
  readonly mappings: readonly { readonly match: string; readonly name: string; readonly match_type?: string; readonly tags?: Record<string, string> }[];
}

let profiles: readonly MapperProfile[] | undefined;

/** Read once per process: every environment's agent release uses the same profiles. */
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

/** The value of DD_DOGSTATSD_MAPPER_PROFILES. */
export function mapperProfilesEnvValue(): string {
  return JSON.stringify(airflowMapperProfiles());
}

// How the Datadog agent's DogStatsD mapper matches a metric name (pkg/dogstatsd/mapper/mapper.go):
// shared by the mapper profiles we write and the agent model that applies them.

const WILDCARD_ALLOWED = /^[a-zA-Z0-9\-_*.]+$/;

const mapperRegexes = new Map<string, RegExp>();

/**
 * mapper.go buildRegex: wildcards become `([^.]*)`, dots literal, anchored. Compiled once per
 * pattern: every environment's catalog matches every traced name against the same mappings (the
 * regexes are not global, so sharing them keeps no state between matches).
 */
export function mapperRegex(match: string, matchType: string | undefined): RegExp {
  const type = matchType ?? "wildcard";
  const key = `${type}:${match}`;
  let regex = mapperRegexes.get(key);
  if (!regex) {
    regex = buildMapperRegex(match, type);
    mapperRegexes.set(key, regex);
  }
  return regex;
}

function buildMapperRegex(match: string, matchType: string): RegExp {
  if (matchType === "wildcard") {
    if (!WILDCARD_ALLOWED.test(match) || match.includes("**")) throw new Error(`mapper: invalid wildcard pattern ${match}`);
    return new RegExp(`^${match.replace(/\./g, "\\.").replace(/\*/g, "([^.]*)")}$`);
  }
  return new RegExp(`^${match}$`);
}

// Finds secrets written as literals: values of secret-named fields, well-known key formats, and
// long high-entropy strings. Interpolations (`${…}`, resolved by Terraform at apply time), SSH
// public host keys and PEM certificates (public by design: e.g. the RDS CA bundle) are not
// secrets and are skipped.

export interface SecretFinding {
  readonly path: string;
  readonly reason: string;
}

/** Field names whose literal value would be a secret (compared without `-` and `_`). */
const SECRET_FIELDS = /^(password|passwd|secret|token|apikey|appkey|accesskey|secretkey|privatekey|fernetkey|jwtsecret|secretaccesskey|clientsecret)$/i;

const KNOWN_FORMATS: readonly [RegExp, string][] = [
  [/AKIA[0-9A-Z]{16}/, "an AWS access key id"],
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----/, "a private key"],
  [/xox[abprs]-[0-9A-Za-z-]{10,}/, "a Slack token"],
  [/gh[pousr]_[0-9A-Za-z]{30,}/, "a GitHub token"],
];

const INTERPOLATION = /\$\{[^}]*\}/g;
const SSH_PUBLIC_KEY = /(ssh-(ed25519|rsa|dss)|ecdsa-sha2-nistp\d+)\s+AAAA[0-9A-Za-z+/=]+/g;
const CERTIFICATE = /-----BEGIN CERTIFICATE-----[0-9A-Za-z+/=\s]+-----END CERTIFICATE-----/g;
const CANDIDATE = /[A-Za-z0-9+/=_-]{32,}/g;

/** Shannon entropy in bits per character. */
export function entropy(text: string): number {
  const counts = new Map<string, number>();
  for (const ch of text) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / text.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/**
 * Random-looking: a long unbroken run (names like `node-groups_system_launch-template_688AC7CC`
 * break at - _ . :), several of each character class, and high entropy.
 */
function looksRandom(token: string): boolean {
  const longestRun = Math.max(...token.split(/[-_.:]/).map((part) => part.length));
  const count = (pattern: RegExp) => (token.match(pattern) ?? []).length;
  return longestRun >= 24 && count(/[a-z]/g) >= 3 && count(/[A-Z]/g) >= 3 && count(/[0-9]/g) >= 3 && entropy(token) >= 4.2;
}

/** cdktf's own bookkeeping: construct paths, logical ids, dependency addresses. */
const GENERATED_FIELDS = new Set(["//", "depends_on"]);

function scanString(text: string, path: string, fieldName: string | undefined): SecretFinding[] {
  const literal = text.replace(INTERPOLATION, " ").replace(SSH_PUBLIC_KEY, " ").replace(CERTIFICATE, " ");
  const findings: SecretFinding[] = [];
  if (fieldName && SECRET_FIELDS.test(fieldName.replace(/[-_]/g, "")) && literal.trim().length > 0 && !text.includes("${")) {
    findings.push({ path, reason: `field "${fieldName}" holds a literal value` });
  }
  for (const [pattern, what] of KNOWN_FORMATS) {
    if (pattern.test(literal)) findings.push({ path, reason: `looks like ${what}` });
  }
  for (const token of literal.match(CANDIDATE) ?? []) {
    if (looksRandom(token)) findings.push({ path, reason: `high-entropy string ${token.slice(0, 6)}… (${token.length} chars)` });
  }
  return findings;
}

/** Every secret-looking literal in a JSON-like value, with the path where it sits. */
export function findSecrets(value: unknown, path = "", fieldName?: string): SecretFinding[] {
  if (typeof value === "string") return scanString(value, path, fieldName);
  if (Array.isArray(value)) return value.flatMap((item, i) => findSecrets(item, `${path}[${i}]`, fieldName));
  if (typeof value === "object" && value !== null) {
    return Object.entries(value)
      .filter(([key]) => !GENERATED_FIELDS.has(key))
      .flatMap(([key, item]) => findSecrets(item, path ? `${path}.${key}` : key, key));
  }
  return [];
}

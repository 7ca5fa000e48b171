// Finds secrets written as literals: values of secret-named fields, well-known key formats, and
// long high-entropy strings. Interpolations (`${…}`, resolved by Terraform at apply time), SSH
// public host keys and PEM certificates (public by design) are not secrets and are skipped. A finding never quotes the
// secret: it names where it is and shows its fingerprint.
import { createHash } from "node:crypto";

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
// PEM certificates are public by design (e.g. the RDS CA bundle).
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
    if (looksRandom(token)) findings.push({ path, reason: `high-entropy string ${fingerprint(token)}` });
  }
  return findings;
}

/** A container variable's name that says its value is a secret (`{ name, value }` in a chart's env). */
const SECRET_ENV_NAME = /(PASSWORD|PASSWD|SECRET|TOKEN|API_KEY|APP_KEY|ACCESS_KEY|PRIVATE_KEY|FERNET_KEY|JWT)/i;
/** …but a variable that names where a secret is (a directory, a file, a Secret's name) holds none. */
const NOT_A_SECRET_ENV_NAME = /_(DIR|PATH|FILE|NAME|ARN|ID|URL|HOST|PORT|USER|USERNAME)$/i;

/** Every secret-looking literal in a JSON-like value, with the path where it sits. */
export function findSecrets(value: unknown, path = "", fieldName?: string): SecretFinding[] {
  if (typeof value === "string") return scanString(value, path, fieldName);
  if (Array.isArray(value)) return value.flatMap((item, i) => findSecrets(item, `${path}[${i}]`, fieldName));
  if (typeof value === "object" && value !== null) {
    const variable = value as { name?: unknown; value?: unknown };
    if (typeof variable.name === "string" && SECRET_ENV_NAME.test(variable.name) && !NOT_A_SECRET_ENV_NAME.test(variable.name) && typeof variable.value === "string" && variable.value.trim().length > 0 && !variable.value.includes("${") && !variable.value.startsWith("/")) {
      return [{ path: path ? `${path}.value` : "value", reason: `variable ${variable.name} holds a literal value ${fingerprint(variable.value)}` }];
    }
    return Object.entries(value)
      .filter(([key]) => !GENERATED_FIELDS.has(key))
      .flatMap(([key, item]) => findSecrets(item, path ? `${path}.${key}` : key, key));
  }
  return [];
}

/**
 * The secret strings a JSON-like value holds by where they sit, however short: a secret-named
 * field's string, a secret-named variable's `value`. What an error must not show when it repeats
 * a value it was given (a chart's env list, say).
 */
export function secretLiteralsIn(value: unknown, fieldName?: string): string[] {
  if (typeof value === "string") return fieldName && SECRET_FIELDS.test(fieldName.replace(/[-_]/g, "")) && value.trim().length > 0 && !value.includes("${") ? [value] : [];
  if (Array.isArray(value)) return value.flatMap((item) => secretLiteralsIn(item, fieldName));
  if (typeof value === "object" && value !== null) {
    const variable = value as { name?: unknown; value?: unknown };
    if (typeof variable.name === "string" && SECRET_ENV_NAME.test(variable.name) && !NOT_A_SECRET_ENV_NAME.test(variable.name) && typeof variable.value === "string" && variable.value.trim().length > 0) {
      return [variable.value];
    }
    return Object.entries(value).flatMap(([key, item]) => secretLiteralsIn(item, key));
  }
  return [];
}

/**
 * What may be shown of a secret: its length and the start of its SHA-256, enough to tell two
 * values apart or match one against a known secret, never enough to use it.
 */
export function fingerprint(secret: string): string {
  return `‹secret: ${secret.length} chars, sha256 ${createHash("sha256").update(secret).digest("hex").slice(0, 8)}›`;
}

/** A field name whose value is a secret (not a reference to one: ARNs, names, ids are not). */
const SECRET_NAMED = /(password|passwd|secret|token|apikey|appkey|accesskey|privatekey|fernetkey|jwt)/i;
const REFERENCE_NAMED = /(arn|name|names|id|ids|generation|rotation|jsonkey|ref)$/i;

export function isSecretField(path: readonly string[]): boolean {
  const last = path.at(-1) ?? "";
  return path.some((segment) => SECRET_NAMED.test(segment.replace(/[-_]/g, ""))) && !REFERENCE_NAMED.test(last);
}

/** The literal substrings of `text` that are secrets: known key formats and high-entropy runs. */
export function secretSubstrings(text: string): string[] {
  const literal = text.replace(INTERPOLATION, " ").replace(SSH_PUBLIC_KEY, " ").replace(CERTIFICATE, " ");
  const found = KNOWN_FORMATS.flatMap(([pattern]) => [...literal.matchAll(new RegExp(pattern.source, "g"))].map((m) => m[0]));
  for (const token of literal.match(CANDIDATE) ?? []) if (looksRandom(token)) found.push(token);
  return found;
}

import type { ResourceView } from "../types";

type Block = Readonly<Record<string, unknown>>;

/** A nested block: a list of one in plan JSON, an object in synthesized JSON. */
export function block(value: unknown): Block | undefined {
  const item = Array.isArray(value) ? value[0] : value;
  return typeof item === "object" && item !== null ? (item as Block) : undefined;
}

export function list(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** True when the synthesized attribute refers to a resource of the given type (`${aws_kms_key.…}`). */
export function refersTo(resource: ResourceView, attribute: string, type: string): boolean {
  const value = resource.config[attribute];
  return typeof value === "string" && value.includes(`\${${type}.`);
}

export interface Statement {
  readonly Sid?: string;
  readonly Effect: string;
  readonly Principal?: unknown;
  readonly Action?: string | string[];
  readonly Resource?: string | string[];
  readonly Condition?: Record<string, Record<string, unknown>>;
}

/**
 * A policy document's statements. Synthesized strings may hold `${…}` interpolations, which stay
 * inside JSON strings, so the text still parses.
 */
export function statements(policy: unknown): Statement[] {
  if (typeof policy !== "string") return [];
  try {
    const parsed = JSON.parse(policy) as { Statement?: Statement | Statement[] };
    return list(parsed.Statement) as Statement[];
  } catch {
    return [];
  }
}

export function actions(statement: Statement): string[] {
  return list(statement.Action) as string[];
}

/** `*` anywhere a principal can name one. */
export function hasWildcardPrincipal(statement: Statement): boolean {
  const principal = statement.Principal;
  if (principal === "*") return true;
  if (typeof principal !== "object" || principal === null) return false;
  return Object.values(principal as Record<string, unknown>).some((v) => list(v).includes("*"));
}

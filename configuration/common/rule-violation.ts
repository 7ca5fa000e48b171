/** A rule's finding, before it is located in the construct tree. */
export interface RuleViolation {
  readonly path: readonly (string | number)[];
  readonly given: unknown;
  readonly allowed: string;
}

import { dbInstanceClasses, ec2InstanceTypes } from "../../sizing/instance-data";
import type { RuleViolation } from "../common/rule-violation";
import type { ParsedEnvironment } from "../schema/environment";

// Extras add what data/aws lacks; they never repeat or override the shipped figures.

function repeated<T, K extends keyof T & string>(items: readonly T[], nameField: K, field: string, shipped: ReadonlyMap<string, unknown>, file: string): RuleViolation[] {
  const seen = new Set<string>();
  return items.flatMap((item, i) => {
    const name = String(item[nameField]);
    const found: RuleViolation[] = [];
    if (shipped.has(name)) {
      found.push({ path: [field, i, nameField], given: name, allowed: `a name not already in data/aws/${file} (the shipped figures are used): remove this entry` });
    } else if (seen.has(name)) {
      found.push({ path: [field, i], given: name, allowed: "each extra listed once" });
    }
    seen.add(name);
    return found;
  });
}

/** An extra adds what is missing; it never repeats or overrides the shipped data. */
export function checkInstanceExtras(env: ParsedEnvironment): RuleViolation[] {
  return [
    ...repeated(env.extraInstanceTypes, "type", "extraInstanceTypes", ec2InstanceTypes(), "instance-types.csv"),
    ...repeated(env.extraDbInstanceClasses, "instanceClass", "extraDbInstanceClasses", dbInstanceClasses(), "rds-instance-classes.csv"),
  ];
}

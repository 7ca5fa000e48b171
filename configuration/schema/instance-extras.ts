import { z } from "zod";
import { architectureOf, dbInstanceClasses, ec2InstanceTypes, type CpuArchitecture, type DbInstanceClassFacts, type Ec2InstanceType } from "../../sizing/instance-data";
import { isDbInstanceClass, isEc2InstanceType } from "../../lib/units";

// What data/aws lacks, added in the environment file with its facts and a reason, like a policy
// waiver: a type AWS launched after the data was taken, say. Shipped data wins: an extra that
// repeats a shipped type is refused, so nobody silently changes a known type's figures.

const reason = z.string().trim().min(20, "a reason of at least 20 characters: where the figures come from and why the type is needed");
/** What an EC2 type and an RDS class (which runs on one) both state. */
const hardware = {
  architecture: z.enum(["x86_64", "arm64"]),
  vcpu: z.number().int().min(1).max(1024),
  memoryMiB: z.number().int().min(512),
};

export const extraInstanceTypesSchema = z
  .array(
    z
      .object({
        type: z.string().refine(isEc2InstanceType, "an EC2 instance type name such as m7a.xlarge"),
        ...hardware,
        /** Pods the VPC CNI allows: the max-pods calculator's figure for the type. */
        maxPods: z.number().int().min(1).max(737),
        reason,
      })
      .strict(),
  )
  .default([]);

export const extraDbInstanceClassesSchema = z
  .array(
    z
      .object({
        instanceClass: z.string().refine(isDbInstanceClass, "an RDS instance class name such as db.m7g.large"),
        ...hardware,
        reason,
      })
      .strict(),
  )
  .default([]);

interface WithExtras {
  readonly extraInstanceTypes: readonly Ec2InstanceType[];
  readonly extraDbInstanceClasses: readonly DbInstanceClassFacts[];
}

/** The EC2 types this environment may use: the shipped data and its own extras. */
export function instanceTypesOf(env: Pick<WithExtras, "extraInstanceTypes">): ReadonlyMap<string, Ec2InstanceType> {
  return ec2InstanceTypes(env.extraInstanceTypes);
}

/** The RDS classes this environment may use: the shipped data and its own extras. */
export function dbInstanceClassesOf(env: Pick<WithExtras, "extraDbInstanceClasses">): ReadonlyMap<string, DbInstanceClassFacts> {
  return dbInstanceClasses(env.extraDbInstanceClasses);
}

/** The one architecture of a validated node group's instance types (the rules made sure of it). */
export function nodeGroupArchitecture(env: Pick<WithExtras, "extraInstanceTypes">, instanceTypes: readonly string[]): CpuArchitecture {
  const found = architectureOf(instanceTypes, instanceTypesOf(env));
  if (found === undefined || found === "mixed") {
    throw new Error(`nodeGroupArchitecture: ${instanceTypes.join(", ")} was not validated (${found ?? "unknown type"})`);
  }
  return found;
}

import { readFileSync } from "node:fs";
import { dataFile } from "../lib/data-files";

// Instance facts from data/aws (see its SOURCE.md), read once per process. An environment adds
// what the data lacks (`extraInstanceTypes`, `extraDbInstanceClasses`); callers that hold an
// environment pass those extras, so a consumer's own type is known everywhere the data is.

/** EC2's names for the two architectures an EKS AL2023 AMI exists for. */
export type CpuArchitecture = "x86_64" | "arm64";

export interface Ec2InstanceType {
  readonly type: string;
  readonly architecture: CpuArchitecture;
  readonly vcpu: number;
  readonly memoryMiB: number;
  /** Pods the VPC CNI allows on the node (eni-max-pods.txt). */
  readonly maxPods: number;
}

export interface DbInstanceClassFacts {
  readonly instanceClass: string;
  readonly architecture: CpuArchitecture;
  readonly vcpu: number;
  readonly memoryMiB: number;
}

function rows(file: string): string[][] {
  return readFileSync(dataFile("aws", file), "utf8")
    .split(/\r?\n/)
    .filter((line) => line.trim().length > 0 && !line.startsWith("#"))
    .map((line) => line.split(/[,\s]+/));
}

function architecture(text: string, file: string): CpuArchitecture {
  if (text === "x86_64" || text === "arm64") return text;
  throw new Error(`data/aws/${file}: architecture ${JSON.stringify(text)} is neither x86_64 nor arm64`);
}

let ec2: ReadonlyMap<string, Ec2InstanceType> | undefined;
let rds: ReadonlyMap<string, DbInstanceClassFacts> | undefined;

function shippedEc2(): ReadonlyMap<string, Ec2InstanceType> {
  if (!ec2) {
    const maxPods = new Map(rows("eni-max-pods.txt").map(([type, pods]) => [type, Number(pods)]));
    ec2 = new Map(
      rows("instance-types.csv")
        .slice(1)
        .map(([type, arch, vcpu, memory]) => [
          type,
          { type, architecture: architecture(arch, "instance-types.csv"), vcpu: Number(vcpu), memoryMiB: Number(memory), maxPods: maxPods.get(type) ?? 0 },
        ]),
    );
  }
  return ec2;
}

function shippedRds(): ReadonlyMap<string, DbInstanceClassFacts> {
  if (!rds) {
    rds = new Map(
      rows("rds-instance-classes.csv")
        .slice(1)
        .map(([instanceClass, arch, vcpu, memory]) => [
          instanceClass,
          { instanceClass, architecture: architecture(arch, "rds-instance-classes.csv"), vcpu: Number(vcpu), memoryMiB: Number(memory) },
        ]),
    );
  }
  return rds;
}

function withExtras<T>(shipped: ReadonlyMap<string, T>, extras: readonly T[], key: (item: T) => string): ReadonlyMap<string, T> {
  if (extras.length === 0) return shipped;
  return new Map([...shipped, ...extras.map((item): [string, T] => [key(item), item])]);
}

/** EC2 instance types by name: the shipped data, plus an environment's own extras. */
export function ec2InstanceTypes(extras: readonly Ec2InstanceType[] = []): ReadonlyMap<string, Ec2InstanceType> {
  return withExtras(shippedEc2(), extras, (t) => t.type);
}

/** RDS DB instance classes by name: the shipped data, plus an environment's own extras. */
export function dbInstanceClasses(extras: readonly DbInstanceClassFacts[] = []): ReadonlyMap<string, DbInstanceClassFacts> {
  return withExtras(shippedRds(), extras, (c) => c.instanceClass);
}

/** Nominal memory (GiB) per RDS instance class, for RDS's max_connections formula. */
export function rdsInstanceMemoryGiB(extras: readonly DbInstanceClassFacts[] = []): ReadonlyMap<string, number> {
  return new Map([...dbInstanceClasses(extras)].map(([name, facts]) => [name, facts.memoryMiB / 1024]));
}

/** The one architecture of a list of instance types, "mixed", or undefined when one is unknown. */
export function architectureOf(instanceTypes: readonly string[], known: ReadonlyMap<string, Ec2InstanceType>): CpuArchitecture | "mixed" | undefined {
  const found = instanceTypes.map((type) => known.get(type)?.architecture);
  if (found.some((a) => a === undefined)) return undefined;
  return found.every((a) => a === found[0]) ? found[0] : "mixed";
}

import { readFileSync } from "node:fs";
import { dataFile } from "../data-files";

// Instance facts for capacity checks, from data/aws (see its SOURCE.md). Read once per process.


export interface Ec2InstanceType {
  readonly type: string;
  readonly vcpu: number;
  readonly memoryMiB: number;
  /** Pods the VPC CNI allows on the node (eni-max-pods.txt). */
  readonly maxPods: number;
}

function rows(file: string): string[][] {
  return readFileSync(dataFile("aws", file), "utf8")
    .split(/\r?\n/)
    .filter((line) => line.trim().length > 0 && !line.startsWith("#"))
    .map((line) => line.split(/[,\s]+/));
}

let ec2: ReadonlyMap<string, Ec2InstanceType> | undefined;
let rds: ReadonlyMap<string, number> | undefined;

/** vCPU and memory from instance-types.csv; max pods from the VPC CNI's own table. */
export function ec2InstanceTypes(): ReadonlyMap<string, Ec2InstanceType> {
  if (!ec2) {
    const maxPods = new Map(rows("eni-max-pods.txt").map(([type, pods]) => [type, Number(pods)]));
    ec2 = new Map(
      rows("instance-types.csv")
        .slice(1)
        .map(([type, vcpu, memory]) => [type, { type, vcpu: Number(vcpu), memoryMiB: Number(memory), maxPods: maxPods.get(type) ?? 0 }]),
    );
  }
  return ec2;
}

/** Nominal memory (GiB) per RDS instance class. */
export function rdsInstanceMemoryGiB(): ReadonlyMap<string, number> {
  if (!rds) rds = new Map(rows("rds-instance-classes.csv").slice(1).map(([cls, gib]) => [cls, Number(gib)]));
  return rds;
}

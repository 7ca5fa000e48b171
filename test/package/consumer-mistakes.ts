// Run inside the throwaway copy of examples/platform-team by pack.test.ts, against the packed
// library: each mistake a team makes goes through the shipped command's synth and must be
// refused before Terraform, naming environment, field, given and allowed, writing nothing.
// Prints one JSON line per mistake.
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { mergeEnvironment, runCli, SHIPPED_ENVIRONMENTS, validateEnvironment, type EnvironmentOverrides } from "airflow-platform";
import { live, stage } from "./environments";

const on = (environment: unknown, overrides: EnvironmentOverrides) => mergeEnvironment(environment as EnvironmentOverrides, overrides);

export const MISTAKES: Record<string, Record<string, unknown>> = {
  "an instance type neither in the data nor added": { stage: on(stage, { nodeGroups: { tasks: { instanceTypes: ["m9b.xlarge"] } } }) },
  "an extra instance type without a reason": { stage: on(stage, { extraInstanceTypes: [{ type: "m9a.xlarge", architecture: "x86_64", vcpu: 4, memoryMiB: 16384, maxPods: 58, reason: "new" }] }) },
  "the CeleryExecutor through chartValueOverrides": { live: on(live, { airflow: { chartValueOverrides: { executor: "CeleryExecutor" } } }) },
  "evictable task pods through chartValueOverrides": { live: on(live, { airflow: { chartValueOverrides: { podTemplate: "apiVersion: v1\nkind: Pod\nmetadata:\n  annotations:\n    cluster-autoscaler.kubernetes.io/safe-to-evict: \"true\"\n" } } }) },
  "PgBouncer off through chartValueOverrides": { live: on(live, { airflow: { chartValueOverrides: { pgbouncer: { enabled: false } } } }) },
  "a staging environment still carrying the shipped example's placeholders": { stage: on(SHIPPED_ENVIRONMENTS.staging, { name: "stage", account: { region: "us-east-1" }, availabilityZones: ["us-east-1a", "us-east-1b", "us-east-1c"], stateBackend: { kind: "s3", bucket: "dpt-terraform-state-us-east-1", region: "us-east-1", kmsKeyId: "alias/dpt-terraform-state" } }) },
  "a typo, min above max and an oversized PgBouncer pool in one file": { stage: on(stage, { taskImages: { keepTagedImages: 10 } as EnvironmentOverrides["taskImages"], nodeGroups: { tasks: { minSize: 12 } }, airflow: { pgbouncer: { metadataPoolSize: 400 } } }) },
  "two environments with one name": { stage, again: on(stage, { tags: { copy: "yes" } }) },
  "NAT gateways demanded of an existing VPC": { live: on(live, { network: { natGateways: "perZone" } }) },
  "a zone the region does not have": { stage: on(stage, { availabilityZones: ["us-east-1a", "us-east-1b", "us-east-1z"] }) },
  "an existing VPC with fewer private subnets than zones": { live: on(live, { network: { existingVpc: { vpcId: "vpc-0d1e2f3a4b5c6d7e8", privateSubnetIds: ["subnet-0d1e2f3a4b5c60101", "subnet-0d1e2f3a4b5c60102"], publicSubnetIds: [] } } }) },
};

async function main(): Promise<void> {
  for (const [title, environments] of Object.entries(MISTAKES)) {
    const outdir = join(mkdtempSync(join(tmpdir(), "airflow-platform-mistake-")), "cdktf.out");
    let stderr = "";
    let stdout = "";
    const code = await runCli(["synth", "--out", outdir], { environments, io: { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) } });
    const problems = Object.values(environments).flatMap((input) => {
      const result = validateEnvironment(input);
      return result.ok ? [] : result.problems;
    });
    process.stdout.write(`${JSON.stringify({ title, code, stdout, stderr, problems, wrote: existsSync(outdir) })}\n`);
  }
}

void main();

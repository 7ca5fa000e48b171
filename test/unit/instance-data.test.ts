import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, it } from "node:test";
import { architectureOf, dbInstanceClasses, ec2InstanceTypes, rdsInstanceMemoryGiB } from "../../sizing/instance-data";
import { availabilityZonesOf } from "../../constructs/network/availability-zones";
import { AWS_REGIONS } from "../../constructs/network/aws-regions";
import { validateEnvironment } from "../../environments";
import type { Ec2InstanceType } from "../../lib/units";
import { shippedWith } from "../support/environments";

const root = resolve(__dirname, "../..");

function problemsOf(input: unknown) {
  const result = validateEnvironment(input);
  return result.ok ? [] : result.problems;
}

describe("instance facts are data", () => {
  it("cover the current families the issue names, with architecture from EC2's own figures", () => {
    const known = ec2InstanceTypes();
    for (const [type, arch, vcpu, memory] of [
      ["m7a.xlarge", "x86_64", 4, 16384],
      ["c7i.2xlarge", "x86_64", 8, 16384],
      ["m7g.xlarge", "arm64", 4, 16384],
      ["r8g.2xlarge", "arm64", 8, 65536],
      ["a1.large", "arm64", 2, 4096],
      ["t3.medium", "x86_64", 2, 4096],
    ] as const) {
      const facts = known.get(type);
      assert.ok(facts, type);
      assert.deepEqual([facts.architecture, facts.vcpu, facts.memoryMiB], [arch, vcpu, memory], type);
    }
    assert.ok(known.size > 1000, `${known.size} types`);
  });

  it("have a max-pods figure from the VPC CNI's table for every type", () => {
    const missing = [...ec2InstanceTypes().values()].filter((t) => !(t.maxPods > 0)).map((t) => t.type);
    assert.deepEqual(missing, []);
  });

  it("cite their source for every data file", () => {
    const source = readFileSync(resolve(root, "data/aws/SOURCE.md"), "utf8");
    for (const file of ["eni-max-pods.txt", "instance-types.csv", "rds-instance-classes.csv", "availability-zones.csv"]) {
      assert.match(source, new RegExp("`" + file.replace(".", "\\.") + "`"), file);
    }
  });

  it("give RDS classes the memory RDS's max_connections formula needs", () => {
    assert.equal(rdsInstanceMemoryGiB().get("db.r7g.large"), 16);
    assert.equal(rdsInstanceMemoryGiB().get("db.t4g.medium"), 4);
    assert.equal(dbInstanceClasses().get("db.m7i.2xlarge")?.memoryMiB, 32768);
  });

  it("know one architecture per node group, or say it is mixed or unknown", () => {
    const known = ec2InstanceTypes();
    assert.equal(architectureOf(["m7g.large", "c7g.xlarge", "a1.xlarge"], known), "arm64");
    assert.equal(architectureOf(["m7g.large", "m7i.large"], known), "mixed");
    assert.equal(architectureOf(["m7i.large", "zz9.large"], known), undefined);
  });

  it("list zones for every region an environment may name", () => {
    const missing = AWS_REGIONS.filter((region) => availabilityZonesOf(region).length < 2);
    assert.deepEqual(missing, []);
    assert.deepEqual(availabilityZonesOf("us-east-1"), ["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d", "us-east-1e", "us-east-1f"]);
  });
});

describe("environments use the data and their own extras", () => {
  it("accept an m7a, a c7i and a Graviton task group the old closed list refused", () => {
    for (const instanceTypes of [["m7a.xlarge"], ["c7i.2xlarge"], ["m7g.2xlarge", "c7g.2xlarge"]] as Ec2InstanceType[][]) {
      assert.deepEqual(problemsOf(shippedWith("dev", { nodeGroups: { tasks: { instanceTypes } } })), [], instanceTypes.join());
    }
  });

  it("refuse a zone the region does not have, suggesting the near one", () => {
    const problems = problemsOf(shippedWith("dev", { account: { region: "us-east-1" }, availabilityZones: ["us-east-1a", "us-east-1z"] }));
    const zone = problems.find((p) => p.field === "availabilityZones.1");
    assert.ok(zone, JSON.stringify(problems));
    assert.equal(zone.given, '"us-east-1z"');
    assert.match(zone.allowed, /a zone of us-east-1: us-east-1a, .*us-east-1f/);
    const slip = problemsOf(shippedWith("dev", { availabilityZones: ["eu-west-1a", "eu-west-1d"] })).find((p) => p.field === "availabilityZones.1");
    assert.match(slip?.allowed ?? "", /a zone of eu-west-1: eu-west-1a, eu-west-1b, eu-west-1c/);
  });

  it("refuse an unknown instance type with a suggestion and the documented way to add it", () => {
    const [problem] = problemsOf(shippedWith("dev", { nodeGroups: { tasks: { instanceTypes: ["m7i.xlarg"] } } })).filter((p) => p.field === "nodeGroups.tasks.instanceTypes.0");
    assert.ok(problem);
    assert.match(problem.allowed, /did you mean "m7i\.xlarge"\?.*extraInstanceTypes/);
  });

  it("take a type the data lacks from extraInstanceTypes, with its architecture, for capacity and the AMI", () => {
    const extra = { type: "m9z.xlarge", architecture: "arm64" as const, vcpu: 4, memoryMiB: 16384, maxPods: 58, reason: "launched after data/aws was taken; figures from describe-instance-types" };
    const result = validateEnvironment(shippedWith("dev", { extraInstanceTypes: [extra], nodeGroups: { tasks: { instanceTypes: ["m9z.xlarge"] } } }));
    assert.ok(result.ok, JSON.stringify(!result.ok && result.problems));
    const mixed = problemsOf(shippedWith("dev", { extraInstanceTypes: [extra], nodeGroups: { tasks: { instanceTypes: ["m9z.xlarge", "m7i.xlarge"] } } }));
    assert.ok(mixed.some((p) => p.field === "nodeGroups.tasks.instanceTypes" && /one architecture/.test(p.allowed)), JSON.stringify(mixed));
  });

  it("refuse an extra without a reason, or one that repeats a shipped type", () => {
    const problems = problemsOf(shippedWith("dev", {
      extraInstanceTypes: [
        { type: "m9z.xlarge", architecture: "x86_64", vcpu: 4, memoryMiB: 16384, maxPods: 58, reason: "new" },
        { type: "m7i.xlarge", architecture: "x86_64", vcpu: 4, memoryMiB: 8192, maxPods: 58, reason: "a long enough reason to pass the length rule" },
      ],
    }));
    assert.ok(problems.some((p) => p.field === "extraInstanceTypes.0.reason" && /reason of at least 20/.test(p.allowed)), JSON.stringify(problems));
    const repeat = problemsOf(shippedWith("dev", { extraInstanceTypes: [{ type: "m7i.xlarge", architecture: "x86_64", vcpu: 4, memoryMiB: 8192, maxPods: 58, reason: "a long enough reason to pass the length rule" }] }));
    assert.ok(repeat.some((p) => p.field === "extraInstanceTypes.0.type" && /not already in data\/aws\/instance-types\.csv/.test(p.allowed)), JSON.stringify(repeat));
  });

  it("take an RDS class the data lacks from extraDbInstanceClasses, for the max_connections check", () => {
    const extra = { instanceClass: "db.m9z.large", architecture: "arm64" as const, vcpu: 2, memoryMiB: 8192, reason: "a new class; figures from the RDS user guide's table" };
    assert.ok(validateEnvironment(shippedWith("dev", { extraDbInstanceClasses: [extra], database: { instanceClass: "db.m9z.large" } })).ok);
    const tooMany = problemsOf(shippedWith("dev", { extraDbInstanceClasses: [extra], database: { instanceClass: "db.m9z.large", maxConnections: 2000 } }));
    assert.ok(tooMany.some((p) => p.field === "database.maxConnections" && /at most 901/.test(p.allowed)), JSON.stringify(tooMany));
    const unknown = problemsOf(shippedWith("dev", { database: { instanceClass: "db.m7g.lage" } }));
    assert.ok(unknown.some((p) => p.field === "database.instanceClass" && /did you mean "db\.m7g\.large"\?.*extraDbInstanceClasses/.test(p.allowed)), JSON.stringify(unknown));
  });
});

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { airflowClientConnections, rdsDefaultMaxConnections } from "../../sizing/database-capacity";
import { ec2InstanceTypes } from "../../sizing/instance-data";
import { podsPerNode, reservedCpuMillicores, reservedMemoryMiB } from "../../sizing/node-capacity";
import { isPoolFit, podsPerPoolNode, poolFit, taskRoomOn } from "../../sizing/pool-fit";
import { priceSourceFor } from "../../tools/capacity/prices";
import { loadEnvironments, validateEnvironment } from "../../environments";
import { capacityTables } from "../../tools/capacity/capacity-report";
import { PROD_AS_SIZED_IN_TESTS, shippedWith } from "../support/environments";

const instance = (type: string) => {
  const found = ec2InstanceTypes().get(type);
  assert.ok(found, type);
  return found;
};

describe("node capacity", () => {
  it("reads vCPU, memory and the VPC CNI's max pods for each instance type", () => {
    assert.deepEqual(instance("m6i.2xlarge"), { type: "m6i.2xlarge", architecture: "x86_64", vcpu: 8, memoryMiB: 32768, maxPods: 58 });
    assert.equal(instance("t3.medium").maxPods, 17);
  });

  it("reserves what the EKS kubelet reserves", () => {
    assert.equal(reservedCpuMillicores(1), 60);
    assert.equal(reservedCpuMillicores(8), 60 + 10 + 10 + 10);
    assert.equal(reservedMemoryMiB(58), 255 + 11 * 58 + 100);
  });

  it("fits task pods by the scarcest of CPU, memory and pod slots", () => {
    assert.equal(podsPerNode(instance("m6i.2xlarge"), { cpuMillicores: 1000, memoryMiB: 2048 }).podsPerNode, 7);
    const memoryBound = podsPerNode(instance("m6i.2xlarge"), { cpuMillicores: 100, memoryMiB: 8192 });
    assert.equal(memoryBound.limitedBy, "memory");
    assert.equal(memoryBound.podsPerNode, 3);
    const podBound = podsPerNode(instance("t3.medium"), { cpuMillicores: 10, memoryMiB: 10 });
    assert.deepEqual([podBound.podsPerNode, podBound.limitedBy], [13, "max pods"]);
  });
});

describe("database capacity", () => {
  it("applies RDS's LEAST(DBInstanceClassMemory/9531392, 5000)", () => {
    assert.equal(rdsDefaultMaxConnections(4), 450);
    assert.equal(rdsDefaultMaxConnections(16), 1802);
    assert.equal(rdsDefaultMaxConnections(1024), 5000);
  });

  it("counts Airflow's pooled client connections", () => {
    assert.equal(airflowClientConnections({ schedulers: 2, apiServers: 2 }), (2 + 8 + 4) * 15);
  });
});

describe("capacity rules reject impossible environments with both numbers", () => {
  const problemOn = (input: unknown, field: string) => {
    const result = validateEnvironment(input);
    assert.equal(result.ok, false);
    const problem = result.ok ? undefined : result.problems.find((p) => p.field === field);
    assert.ok(problem, `a problem on ${field}: ${JSON.stringify(result)}`);
    return problem;
  };

  it("parallelism above what the tasks group holds at its maximum, counted for every scheduler", () => {
    // 2 schedulers × 256 = 512 task instances at once, more than 420: refused though 256 alone would fit.
    const problem = problemOn(shippedWith("prod", { ...PROD_AS_SIZED_IN_TESTS, airflow: { parallelism: 256 } }), "airflow.parallelism");
    assert.equal(problem.given, "256");
    assert.match(problem.allowed, /at most 210 per scheduler: 2 schedulers × parallelism .* 60 nodes × 7 pods \(m6i\.2xlarge, limited by cpu\) = 420/);
    assert.equal(problem.constructPath, "prod/prod-platform/airflow");
  });

  it("a task pod larger than any node", () => {
    const problem = problemOn(shippedWith("dev", { airflow: { taskPod: { cpuMillicores: 8000, cpuLimitMillicores: 8000 } } }), "airflow.taskPod");
    assert.match(problem.allowed, /fit the default pool "tasks", .*at most 3620m CPU and 14\.4 GiB per task \(m6i\.xlarge/);
  });

  it("max_connections above what the instance class's memory gives", () => {
    const problem = problemOn(shippedWith("dev", { database: { maxConnections: 900 } }), "database.maxConnections");
    assert.match(problem.allowed, /at most 450, what RDS's formula .* gives db\.t4g\.medium \(4 GiB\)/);
  });

  it("an instance type with no capacity data", () => {
    const problem = problemOn(shippedWith("dev", { nodeGroups: { tasks: { instanceTypes: ["x9z.huge"] } } }), "nodeGroups.tasks.instanceTypes.0");
    assert.match(problem.allowed, /instance-types\.csv/);
  });
});

describe("a pool's room for tasks", () => {
  it("is allocatable less daemonsets: Karpenter's reference allocatable for r6i.2xlarge is 7910m CPU", () => {
    assert.deepEqual(taskRoomOn(instance("r6i.2xlarge")), { cpuMillicores: 7910 - 300, memoryMiB: 65536 - (255 + 11 * 58 + 100) - 640, pods: 54 });
  });

  it("is the tightest of the pool's instance types, resource by resource", () => {
    const fit = poolFit("mixed", ["m6i.2xlarge", "c6i.2xlarge"], ec2InstanceTypes());
    assert.ok(isPoolFit(fit));
    assert.equal(fit.tightestType, "c6i.2xlarge");
    assert.deepEqual(fit.room, { cpuMillicores: 7610, memoryMiB: 16384 - 993 - 640, pods: 54 });
    assert.equal(podsPerPoolNode(fit, { cpuMillicores: 1000, memoryMiB: 4096 }), 3);
    assert.deepEqual(poolFit("typo", ["m6i.2xlarge", "m9z.huge"], ec2InstanceTypes()), { unknownTypes: ["m9z.huge"] });
  });

  it("counts PgBouncer's one metadata pool per replica against max_connections", () => {
    const [prod] = loadEnvironments("prod");
    const rows = new Map(capacityTables(prod, priceSourceFor(prod.account.region, undefined, new Map())).rows);
    assert.equal(rows.get("PgBouncer server pools + reserve"), "2 replicas × 40 + 20 = 100");
  });
});

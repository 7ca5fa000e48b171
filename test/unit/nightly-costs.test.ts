import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isBurstable, smallestMachineInTime } from "../../tools/capacity/baseline-machine";
import { fixedCosts, fixedTotal } from "../../tools/capacity/fixed-costs";
import { ec2InstanceTypes } from "../../sizing/instance-data";
import { platformPrice } from "../../tools/capacity/platform-prices";
import { hourlyPrice, onDemandPrices, priceSourceFor, UnknownPriceRegion } from "../../tools/capacity/prices";
import type { ReplaySettings } from "../../tools/capacity/replay";
import type { Workload } from "../../tools/capacity/workload";
import { validateEnvironments } from "../../environments";
import { replayPlatform } from "../../tools/capacity/nightly-replay";
import { shippedWith } from "../support/environments";

// Prices in the environment's region, the platform's fixed costs line by line, and the baseline
// machine chosen from the work and the deadline alone.

const SETTINGS: ReplaySettings = {
  parallelism: 64, maxActiveTasks: 64, airflowPoolSlots: new Map(), nodeJoinSeconds: 0, podStartSeconds: 0, scanIntervalSeconds: 10,
  scaleDownUnneededSeconds: 60, scaleDownDelayAfterAddSeconds: 0, taskQueuedTimeoutSeconds: Infinity,
};

/** `n` independent tasks of an hour at 1 vCPU and 2 GiB. */
function parallelHours(n: number): Workload {
  return {
    dagId: "d",
    runIds: ["r"],
    notes: [],
    tasks: Array.from({ length: n }, (_, i) => ({
      taskId: `t${i}`, upstream: [], downstream: [],
      units: [{ id: `t${i}`, taskId: `t${i}`, durationSeconds: 3600, pool: "tasks", requests: { cpuMillicores: 1000, memoryMiB: 2048 }, airflowPool: "default_pool", poolSlots: 1, priority: 1 }],
    })),
  };
}

describe("capacity: prices in the environment's region", () => {
  it("prices eu-west-1 as us-east-1 times its stated factor, and a --price override as given", () => {
    const eu = priceSourceFor("eu-west-1", undefined, new Map([["r6i.2xlarge", 0.5]]));
    const base = onDemandPrices().get("us-east-1")?.get("m6i.2xlarge") ?? NaN;
    assert.ok(Math.abs((hourlyPrice(eu, "m6i.2xlarge") ?? 0) - base * eu.factor) < 1e-9);
    assert.ok(eu.factor > 1);
    assert.equal(hourlyPrice(eu, "r6i.2xlarge"), 0.5);
    assert.equal(priceSourceFor("us-east-1", undefined, new Map()).factor, 1);
  });

  it("refuses a region it cannot price", () => {
    assert.throws(() => priceSourceFor("eu-west-1", "ap-nowhere-9", new Map()), (error: unknown) => error instanceof UnknownPriceRegion && /one of us-east-1, eu-west-1/.test(error.message));
  });
});

describe("capacity: the platform's fixed costs", () => {
  const base = { region: "eu-west-1", natGateways: 3, database: { instanceClass: "db.r7g.large", multiAz: true, allocatedStorageGiB: 100 }, efsGiB: 10, loadBalancers: 1, datadogHosts: 12, overrides: new Map<string, number>() };

  it("prices every line with its basis and source, Multi-AZ twice, NAT per gateway, Datadog per peak host", () => {
    const lines = fixedCosts(base);
    const line = (item: string) => lines.find((l) => l.item === item);
    assert.deepEqual(lines.map((l) => l.item), ["eks", "nat", "ipv4", "rds", "rds-storage", "efs", "alb", "datadog"]);
    const single = fixedCosts({ ...base, database: { ...base.database, multiAz: false } }).find((l) => l.item === "rds");
    assert.ok(Math.abs((line("rds")?.usdPerMonth ?? 0) - 2 * (single?.usdPerMonth ?? NaN)) < 1e-9, "Multi-AZ bills primary and standby");
    assert.ok(Math.abs((line("nat")?.usdPerMonth ?? 0) - 3 * 730 * (platformPrice("nat-gateway", "eu-west-1")?.usd ?? NaN)) < 1e-9);
    assert.equal(line("datadog")?.usdPerMonth, 12 * (platformPrice("datadog-infra-pro", "eu-west-1")?.usd ?? NaN));
    for (const l of lines) {
      assert.ok(l.source.length > 20, `${l.item} says where its price comes from`);
      assert.match(l.basis, /^(published|estimate|assumption)$/);
    }
  });

  it("prices no NAT gateway for an existing VPC, and takes --fixed-price over the data", () => {
    const lines = fixedCosts({ ...base, natGateways: 0, overrides: new Map([["rds", 1]]) });
    assert.equal(lines.find((l) => l.item === "nat"), undefined);
    const rds = lines.find((l) => l.item === "rds");
    assert.deepEqual([rds?.usdPerMonth, rds?.basis], [2 * 730, "given"]);
    assert.ok((fixedTotal(lines) ?? 0) > 0);
  });
});

describe("capacity: the baseline machine", () => {
  const prices = priceSourceFor("us-east-1", undefined, new Map());
  const known = ec2InstanceTypes();

  it("is the cheapest non-burstable machine that meets the deadline on the same work", () => {
    const work = parallelHours(8);
    const loose = smallestMachineInTime(work, known, prices, { cpuMillicores: 0, memoryMiB: 0 }, SETTINGS, 9 * 3600, "x86_64");
    const tight = smallestMachineInTime(work, known, prices, { cpuMillicores: 0, memoryMiB: 0 }, SETTINGS, 1.5 * 3600, "x86_64");
    assert.ok(loose && tight);
    assert.ok(!isBurstable(loose.instance.type) && !isBurstable(tight.instance.type));
    assert.ok((loose.result.finishSeconds ?? Infinity) <= 9 * 3600);
    assert.ok((tight.result.finishSeconds ?? Infinity) <= 1.5 * 3600);
    assert.ok(tight.instance.vcpu >= 8, "eight one-hour tasks in 1.5 h need eight vCPUs at once");
    assert.ok((tight.usdPerHour ?? 0) > (loose.usdPerHour ?? Infinity));
    // Nothing cheaper of a non-burstable x86 type meets the tight deadline.
    const cheaper = [...known.values()].filter((t) => t.architecture === "x86_64" && !isBurstable(t.type) && t.vcpu >= 8 && t.memoryMiB >= 16384 && (hourlyPrice(prices, t.type) ?? Infinity) < (tight.usdPerHour ?? 0));
    assert.deepEqual(cheaper.map((t) => t.type), []);
  });

  it("says when no machine meets the deadline, and gives the fastest", () => {
    const chosen = smallestMachineInTime(parallelHours(2), known, prices, { cpuMillicores: 0, memoryMiB: 0 }, SETTINGS, 1800, "x86_64");
    assert.match(chosen?.how ?? "", /^no always-on machine finishes this export by the deadline: the fastest of \d+ replayed/);
    assert.equal(chosen?.result.finishSeconds, 3600);
  });
});

describe("capacity: a SPOT pool", () => {
  it("is priced at the spot estimate, an on-demand pool at on-demand", () => {
    const [env] = validateEnvironments([shippedWith("dev", { name: "spotfix", nodeGroups: { tasks: { instanceTypes: ["m6i.2xlarge"], capacityType: "SPOT", minSize: 0, maxSize: 2, desiredSize: 0 }, taskPools: { memory: { instanceTypes: ["r6i.2xlarge"], minSize: 0, maxSize: 1 } } } })]);
    const prices = priceSourceFor("us-east-1", undefined, new Map());
    const { pools } = replayPlatform(env, parallelHours(2), {
      replay: SETTINGS, minNodes: new Map(), maxNodes: new Map(), machine: undefined, machineReserve: { cpuMillicores: 0, memoryMiB: 0 }, prices, deadlineHours: 4,
      spotFraction: 0.3, savingsPlanFraction: 0.7, efsGiB: 0, fixedOverrides: new Map(),
    });
    const tasks = pools.find((p) => p.pool === "tasks");
    assert.equal(tasks?.capacityType, "SPOT");
    assert.ok(Math.abs((tasks?.usdPerHour ?? 0) - 0.3 * (hourlyPrice(prices, "m6i.2xlarge") ?? NaN)) < 1e-9);
    assert.equal(pools.find((p) => p.pool === "memory")?.usdPerHour, hourlyPrice(prices, "r6i.2xlarge"));
  });
});

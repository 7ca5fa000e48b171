import { cidrContains, cidrsOverlap, parseCidr, type Ipv4Block } from "../../constructs/network/cidr";
import { availabilityZonesOf } from "../../constructs/network/availability-zones";
import { architectureOf } from "../../sizing/instance-data";
import { MAX_AVAILABILITY_ZONES } from "../../constructs/network/subnet-layout";
import { instanceTypesOf } from "../schema/instance-extras";
import { taskPools } from "../derived/task-pools";
import type { NodeGroupSettings, ParsedEnvironment, Stage } from "../schema/environment";
import type { RuleViolation } from "../common/rule-violation";
import { didYouMean } from "../common/suggest";

/** Minimum automated backup retention per stage, in days. */
export const MIN_BACKUP_RETENTION_DAYS: Readonly<Record<Stage, number>> = { dev: 1, staging: 7, prod: 14 };

export function checkZones(env: ParsedEnvironment): RuleViolation[] {
  const zones = env.availabilityZones;
  const region = env.account.region;
  const known = availabilityZonesOf(region);
  const found: RuleViolation[] = zones.flatMap((zone, i) =>
    known.includes(zone)
      ? []
      : [{ path: ["availabilityZones", i], given: zone, allowed: `${didYouMean(zone, known)}a zone of ${region}: ${known.join(", ")} (data/aws/availability-zones.csv)` }],
  );
  if (new Set(zones).size !== zones.length) {
    found.push({ path: ["availabilityZones"], given: zones, allowed: "each zone once" });
  }
  const minimum = env.stage === "prod" ? 3 : 2;
  if (zones.length < minimum || zones.length > MAX_AVAILABILITY_ZONES) {
    found.push({
      path: ["availabilityZones"],
      given: zones,
      allowed: `${minimum} to ${MAX_AVAILABILITY_ZONES} zones for a ${env.stage} environment`,
    });
  }
  return found;
}

export function checkNetwork(env: ParsedEnvironment): RuleViolation[] {
  const { network, cluster } = env;
  const found: RuleViolation[] = [];
  let vpc: Ipv4Block | undefined;
  if (network.vpcCidr !== undefined) {
    vpc = parseCidr(network.vpcCidr);
    if (!vpc || vpc.prefixLength < 16 || vpc.prefixLength > 20) {
      found.push({ path: ["network", "vpcCidr"], given: network.vpcCidr, allowed: "an IPv4 CIDR from /16 to /20 with no host bits set" });
      vpc = undefined;
    }
  } else if (!network.existingVpc) {
    found.push({ path: ["network", "vpcCidr"], given: undefined, allowed: "the CIDR of the VPC the platform creates (/16 to /20), unless network.existingVpc is given" });
  }
  const service = parseCidr(cluster.serviceIpv4Cidr);
  if (!service || service.prefixLength < 12 || service.prefixLength > 24) {
    found.push({ path: ["cluster", "serviceIpv4Cidr"], given: cluster.serviceIpv4Cidr, allowed: "an IPv4 CIDR from /12 to /24 (EKS service range)" });
  } else if (vpc && cidrsOverlap(vpc, service)) {
    found.push({ path: ["cluster", "serviceIpv4Cidr"], given: cluster.serviceIpv4Cidr, allowed: `a range that does not overlap the VPC ${network.vpcCidr}` });
  }
  cluster.publicEndpointCidrs.forEach((text, i) => {
    const block = parseCidr(text);
    if (!block || block.prefixLength === 0) {
      found.push({ path: ["cluster", "publicEndpointCidrs", i], given: text, allowed: "an allowlisted IPv4 CIDR, never 0.0.0.0/0" });
    }
  });
  if (network.existingVpc) return [...found, ...checkExistingVpc(env)];
  if (network.natGateways === undefined) {
    found.push({ path: ["network", "natGateways"], given: undefined, allowed: '"single" or "perZone" (prod: "perZone"), unless network.existingVpc is given' });
  } else if (env.stage === "prod" && network.natGateways !== "perZone") {
    found.push({ path: ["network", "natGateways"], given: network.natGateways, allowed: '"perZone" in prod, so one zone failing does not cut the others off' });
  }
  if (vpc) found.push(...checkSubnets(env, vpc, service));
  return found;
}

/**
 * An existing VPC takes only what it uses: its subnets, one private (and none or one public) per
 * zone. What only a created VPC has (NAT gateways, subnet CIDRs) is refused rather than ignored;
 * when deriving from an environment that sets them, override them with `undefined`.
 */
function checkExistingVpc(env: ParsedEnvironment): RuleViolation[] {
  const { network } = env;
  const found: RuleViolation[] = [];
  for (const unused of ["natGateways", "privateSubnetCidrs", "publicSubnetCidrs"] as const) {
    if (network[unused] !== undefined) {
      found.push({ path: ["network", unused], given: network[unused], allowed: `nothing with network.existingVpc: no ${unused === "natGateways" ? "NAT gateway" : "subnet"} is created (set it to undefined when deriving from an environment that has one)` });
    }
  }
  const existing = network.existingVpc;
  if (!existing) return found;
  const zoneCount = env.availabilityZones.length;
  const { privateSubnetIds, publicSubnetIds } = existing;
  if (privateSubnetIds.length !== zoneCount) {
    found.push({ path: ["network", "existingVpc", "privateSubnetIds"], given: privateSubnetIds, allowed: `one private subnet per zone (${zoneCount}: ${env.availabilityZones.join(", ")})` });
  }
  if (publicSubnetIds.length !== 0 && publicSubnetIds.length !== zoneCount) {
    found.push({ path: ["network", "existingVpc", "publicSubnetIds"], given: publicSubnetIds, allowed: `none, or one public subnet per zone (${zoneCount})` });
  }
  const all = [...privateSubnetIds, ...publicSubnetIds];
  const twice = all.filter((id, i) => all.indexOf(id) !== i);
  if (twice.length > 0) {
    found.push({ path: ["network", "existingVpc"], given: twice, allowed: "each subnet once, private and public apart" });
  }
  return found;
}

function checkSubnets(env: ParsedEnvironment, vpc: Ipv4Block, service: Ipv4Block | undefined): RuleViolation[] {
  const found: RuleViolation[] = [];
  const seen: { path: (string | number)[]; block: Ipv4Block; text: string }[] = [];
  for (const kind of ["privateSubnetCidrs", "publicSubnetCidrs"] as const) {
    const list = env.network[kind];
    if (list === undefined) continue;
    if (list.length !== env.availabilityZones.length) {
      found.push({ path: ["network", kind], given: list, allowed: `one CIDR per zone (${env.availabilityZones.length})` });
    }
    list.forEach((text, i) => {
      const path = ["network", kind, i];
      const block = parseCidr(text);
      if (!block) {
        found.push({ path, given: text, allowed: "an IPv4 CIDR with no host bits set" });
        return;
      }
      if (!cidrContains(vpc, block)) {
        found.push({ path, given: text, allowed: `a block inside the VPC ${env.network.vpcCidr}` });
      }
      if (service && cidrsOverlap(service, block)) {
        found.push({ path, given: text, allowed: `a block outside the service range ${env.cluster.serviceIpv4Cidr}` });
      }
      const clash = seen.find((other) => cidrsOverlap(other.block, block));
      if (clash) {
        found.push({ path, given: text, allowed: `a block that does not overlap ${clash.text} (network.${clash.path.slice(1).join(".")})` });
      }
      seen.push({ path, block, text });
    });
  }
  return found;
}

/** Every node group and task pool: instance types, sizes and the system group's taint. */
export function checkNodeGroups(env: ParsedEnvironment): RuleViolation[] {
  return [
    ...checkNodeGroup(env, ["nodeGroups", "system"], env.nodeGroups.system),
    ...checkNodeGroup(env, ["nodeGroups", "tasks"], env.nodeGroups.tasks),
    ...taskPools(env).slice(1).flatMap((pool) => checkNodeGroup(env, pool.path, pool.settings)),
    ...checkSystemNodeGroup(env.nodeGroups.system),
  ];
}

/** The environment's AWS tags. */
export function checkEnvironmentTags(env: ParsedEnvironment): RuleViolation[] {
  return checkTags(env.tags);
}

function checkNodeGroup(
  env: ParsedEnvironment,
  path: readonly string[],
  group: Readonly<Omit<NodeGroupSettings, "instanceTypes">> & { readonly instanceTypes: readonly string[] },
): RuleViolation[] {
  const found: RuleViolation[] = [];
  if (group.minSize > group.maxSize) {
    found.push({ path: [...path, "minSize"], given: group.minSize, allowed: `at most maxSize (${group.maxSize})` });
  }
  if (group.desiredSize < group.minSize || group.desiredSize > group.maxSize) {
    found.push({ path: [...path, "desiredSize"], given: group.desiredSize, allowed: `between minSize (${group.minSize}) and maxSize (${group.maxSize})` });
  }
  const known = instanceTypesOf(env);
  group.instanceTypes.forEach((type, i) => {
    if (!known.has(type)) {
      found.push({
        path: [...path, "instanceTypes", i],
        given: type,
        allowed: `${didYouMean(type, known.keys())}an instance type in data/aws/instance-types.csv, or one added under extraInstanceTypes with its architecture, vCPU, memory, max pods and a reason`,
      });
    }
  });
  if (architectureOf(group.instanceTypes, known) === "mixed") {
    found.push({ path: [...path, "instanceTypes"], given: group.instanceTypes, allowed: "instance types of one architecture (all arm64 or all x86_64): a node group runs one AMI" });
  }
  return found;
}

function checkSystemNodeGroup(group: NodeGroupSettings): RuleViolation[] {
  const found: RuleViolation[] = [];
  // The scheduler, API server, PgBouncer and the autoscaler itself run here: spot reclaims or a
  // group scaled to zero would stop the platform that is supposed to scale everything else.
  if (group.capacityType !== "ON_DEMAND") {
    found.push({ path: ["nodeGroups", "system", "capacityType"], given: group.capacityType, allowed: '"ON_DEMAND": the system group runs the scheduler and the autoscaler' });
  }
  if (group.minSize < 1) {
    found.push({ path: ["nodeGroups", "system", "minSize"], given: group.minSize, allowed: "at least 1: the system group never scales to zero" });
  }
  return found;
}

export function checkDatabase(env: ParsedEnvironment): RuleViolation[] {
  const db = env.database;
  const found: RuleViolation[] = [];
  if (db.maxAllocatedStorageGiB < db.allocatedStorageGiB) {
    found.push({ path: ["database", "maxAllocatedStorageGiB"], given: db.maxAllocatedStorageGiB, allowed: `at least allocatedStorageGiB (${db.allocatedStorageGiB})` });
  }
  const minimum = MIN_BACKUP_RETENTION_DAYS[env.stage];
  if (db.backupRetentionDays < minimum) {
    found.push({ path: ["database", "backupRetentionDays"], given: db.backupRetentionDays, allowed: `at least ${minimum} days in ${env.stage}` });
  }
  if (env.stage === "prod" && !db.multiAz) {
    found.push({ path: ["database", "multiAz"], given: db.multiAz, allowed: "true in prod: a standby in another zone" });
  }
  return found;
}

function checkTags(tags: Readonly<Record<string, string>>): RuleViolation[] {
  return Object.keys(tags)
    .filter((key) => key.toLowerCase().startsWith("aws:") || key.length > 128)
    .map((key) => ({ path: ["tags", key], given: key, allowed: "a tag key of at most 128 characters not starting with aws:" }));
}

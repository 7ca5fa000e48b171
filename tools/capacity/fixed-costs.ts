import { HOURS_PER_MONTH } from "./prices";
import { platformPrice, type PriceBasis } from "./platform-prices";

// What the platform costs whether or not a task runs: the EKS control plane, the NAT gateways its
// network makes, the RDS instance (twice with Multi-AZ) and its storage, the log file system, the
// API server's load balancer and Datadog's hosts, which Datadog bills at the month's high-water
// mark (so the night's peak node count is the month's host count). Each line has its price's
// basis and source.

export interface FixedCostInputs {
  readonly region: string;
  /** NAT gateways the network creates (0 with an existing VPC: its owner pays for them). */
  readonly natGateways: number;
  /** The metadata database; absent when pricing other lines alone. */
  readonly database?: { readonly instanceClass: string; readonly multiAz: boolean; readonly allocatedStorageGiB: number };
  /** GiB stored on the log file system (EFS bills what is stored). */
  readonly efsGiB: number;
  readonly loadBalancers: number;
  /** Hosts running the Datadog agent at the night's peak: system nodes plus task nodes. */
  readonly datadogHosts: number | undefined;
  /** `--fixed-price <item>=<usd per unit>` overrides, by item name (eks, nat, rds, …). */
  readonly overrides: ReadonlyMap<string, number>;
}

export interface FixedCostLine {
  readonly item: string;
  readonly quantity: string;
  readonly usdPerMonth: number | undefined;
  readonly basis: PriceBasis | "given";
  readonly source: string;
}

export const FIXED_ITEMS = ["eks", "nat", "ipv4", "rds", "rds-storage", "efs", "alb", "datadog"] as const;

const perHour = (usdPerHour: number) => usdPerHour * HOURS_PER_MONTH;

export function fixedCosts(inputs: FixedCostInputs): FixedCostLine[] {
  const lines: FixedCostLine[] = [];
  const add = (item: (typeof FIXED_ITEMS)[number], priceItem: string, quantity: number, label: string, monthly: (usd: number) => number) => {
    if (quantity === 0) return;
    const given = inputs.overrides.get(item);
    const quoted = platformPrice(priceItem, inputs.region);
    const usd = given ?? quoted?.usd;
    lines.push({
      item,
      quantity: label,
      usdPerMonth: usd === undefined ? undefined : monthly(usd),
      basis: given !== undefined ? "given" : (quoted?.basis ?? "assumption"),
      source: given !== undefined ? `--fixed-price ${item}=${given}` : (quoted ? `${quoted.usd.toPrecision(4).replace(/\.?0+$/, "")} USD ${quoted.unit}: ${quoted.source}` : `no price for ${priceItem} in data/aws-prices; --fixed-price ${item}=<usd>`),
    });
  };
  add("eks", "eks-cluster", 1, "1 cluster", (usd) => perHour(usd));
  add("nat", "nat-gateway", inputs.natGateways, `${inputs.natGateways} NAT gateway${inputs.natGateways === 1 ? "" : "s"} (hours only; data processed is not priced)`, (usd) => inputs.natGateways * perHour(usd));
  add("ipv4", "public-ipv4", inputs.natGateways, `${inputs.natGateways} public IPv4 address${inputs.natGateways === 1 ? "" : "es"} (the NAT gateways')`, (usd) => inputs.natGateways * perHour(usd));
  const db = inputs.database;
  if (db) {
    const copies = db.multiAz ? (platformPrice("rds-multi-az-factor", inputs.region)?.usd ?? 2) : 1;
    add("rds", `rds-postgres:${db.instanceClass}`, 1, `${db.instanceClass}${db.multiAz ? `, Multi-AZ (× ${copies}: primary and standby)` : ", Single-AZ"}`, (usd) => copies * perHour(usd));
    add("rds-storage", "rds-gp3-storage", db.allocatedStorageGiB, `${db.allocatedStorageGiB} GiB gp3${db.multiAz ? ` × ${copies}` : ""}`, (usd) => copies * db.allocatedStorageGiB * usd);
  }
  add("efs", "efs-standard-storage", inputs.efsGiB, `${inputs.efsGiB} GiB of logs (--efs-gib)`, (usd) => inputs.efsGiB * usd);
  add("alb", "alb", inputs.loadBalancers, `${inputs.loadBalancers} Application Load Balancer (the API server's), hours only`, (usd) => inputs.loadBalancers * perHour(usd));
  if (inputs.datadogHosts !== undefined) {
    add("datadog", "datadog-infra-pro", inputs.datadogHosts, `${inputs.datadogHosts} hosts at the night's peak (Datadog bills the month's high-water mark)`, (usd) => (inputs.datadogHosts ?? 0) * usd);
  }
  return lines;
}

/** The lines' total per month, or undefined when one has no price. */
export function fixedTotal(lines: readonly FixedCostLine[]): number | undefined {
  return lines.some((l) => l.usdPerMonth === undefined) ? undefined : lines.reduce((sum, l) => sum + (l.usdPerMonth ?? 0), 0);
}

import { readFileSync } from "node:fs";
import { dataFile } from "../../lib/data-files";

// Prices beside EC2's on-demand table, from data/aws-prices (see its SOURCE.md): how another
// region relates to the table's us-east-1, the platform's fixed items (EKS, NAT gateways, RDS,
// EFS, the load balancer, Datadog hosts), and spot and Savings Plan prices as fractions of
// on-demand. Every row carries its basis (published, estimate, assumption) and its source, and
// the report prints them with the figure.

export type PriceBasis = "published" | "estimate" | "assumption";

export interface QuotedPrice {
  readonly usd: number;
  readonly unit: string;
  readonly basis: PriceBasis;
  readonly source: string;
}

export interface RegionFactor {
  readonly region: string;
  readonly factor: number;
  readonly basis: PriceBasis;
  readonly source: string;
}

/** The date data/aws-prices was put together (its SOURCE.md gives each source's own date). */
export const PLATFORM_PRICES_DATE = "2026-12-04";

/** Fields of one CSV line; double quotes hold commas. */
function fields(line: string): string[] {
  const out: string[] = [];
  let current = "";
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (ch === "," && !quoted) {
      out.push(current);
      current = "";
    } else current += ch;
  }
  out.push(current);
  return out.map((f) => f.trim());
}

function rows(file: string): string[][] {
  return readFileSync(dataFile("aws-prices", file), "utf8")
    .split(/\r?\n/)
    .filter((line) => line.trim() !== "" && !line.startsWith("#"))
    .map(fields);
}

function basis(text: string, file: string): PriceBasis {
  if (text === "published" || text === "estimate" || text === "assumption") return text;
  throw new Error(`data/aws-prices/${file}: basis ${JSON.stringify(text)} is not published, estimate or assumption`);
}

let regions: ReadonlyMap<string, RegionFactor> | undefined;
let items: ReadonlyMap<string, QuotedPrice> | undefined;
let options: ReadonlyMap<string, QuotedPrice> | undefined;

/** Regions the data can price: us-east-1 from the table, others by their factor. */
export function priceRegions(): ReadonlyMap<string, RegionFactor> {
  regions ??= new Map(rows("regions.csv").map(([region, factor, b, source]) => [region, { region, factor: Number(factor), basis: basis(b, "regions.csv"), source }]));
  return regions;
}

function platformItems(): ReadonlyMap<string, QuotedPrice> {
  items ??= new Map(rows("platform-prices.csv").map(([item, region, usd, unit, b, source]) => [`${item}@${region}`, { usd: Number(usd), unit, basis: basis(b, "platform-prices.csv"), source }]));
  return items;
}

/**
 * One fixed item's price in a region: its own row, a region-free row (`*`), or us-east-1's times
 * the region's factor (then an estimate, said so).
 */
export function platformPrice(item: string, region: string): QuotedPrice | undefined {
  const own = platformItems().get(`${item}@${region}`) ?? platformItems().get(`${item}@*`);
  if (own) return own;
  const base = platformItems().get(`${item}@us-east-1`);
  const factor = priceRegions().get(region);
  if (!base || !factor) return undefined;
  return {
    usd: base.usd * factor.factor,
    unit: base.unit,
    basis: base.basis === "published" ? "estimate" : base.basis,
    source: `us-east-1's ${base.usd} × ${factor.factor} (${region}'s factor, data/aws-prices/regions.csv); us-east-1: ${base.source}`,
  };
}

/** Spot and Savings Plan prices as a fraction of on-demand. */
export function purchaseOption(option: "spot" | "savings-plan-1yr-no-upfront"): QuotedPrice {
  options ??= new Map(rows("purchase-options.csv").map(([name, fraction, b, source]) => [name, { usd: Number(fraction), unit: "of on-demand", basis: basis(b, "purchase-options.csv"), source }]));
  const found = options.get(option);
  if (!found) throw new Error(`data/aws-prices/purchase-options.csv has no ${option} row`);
  return found;
}

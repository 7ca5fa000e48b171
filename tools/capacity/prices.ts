import { readFileSync } from "node:fs";
import { dataFile } from "../../lib/data-files";
import { priceRegions } from "./platform-prices";

// EC2 on-demand Linux prices from data/ec2-prices (see its SOURCE.md: the AWS Price List API as of
// 2026-07-20, us-east-1 only), and for another region us-east-1's times that region's factor in
// data/aws-prices/regions.csv (an estimate, said so). Read once per process.

/** The date of the prices in data/ec2-prices, printed with every cost. */
export const EC2_PRICES_DATE = "2026-07-20";

/** Hours in an average month (8,760 / 12), as AWS's own monthly estimates use. */
export const HOURS_PER_MONTH = 730;

let table: ReadonlyMap<string, ReadonlyMap<string, number>> | undefined;

/** USD per instance-hour by region, then instance type. */
export function onDemandPrices(): ReadonlyMap<string, ReadonlyMap<string, number>> {
  if (!table) {
    const byRegion = new Map<string, Map<string, number>>();
    const lines = readFileSync(dataFile("ec2-prices", "on-demand-linux.csv"), "utf8").split(/\r?\n/).slice(1);
    for (const line of lines) {
      const [region, type, usd] = line.split(",");
      if (!region || !type || !usd) continue;
      const prices = byRegion.get(region) ?? new Map<string, number>();
      prices.set(type, Number(usd));
      byRegion.set(region, prices);
    }
    table = byRegion;
  }
  return table;
}

/** Where a price comes from: the price list of a region, or the user's `--price`. */
export interface PriceSource {
  /** The region whose prices are used; the environment's own when the data has it. */
  readonly region: string;
  /** Why that region: the environment's own, or a stand-in for one the data lacks. */
  readonly note: string;
  /** `--price <type>=<usd>` overrides. */
  readonly overrides: ReadonlyMap<string, number>;
  /** Multiplies the table's price when the region has no rows of its own (1 for us-east-1). */
  readonly factor: number;
}

/** `--price-region` names a region no data prices. */
export class UnknownPriceRegion extends Error {
  constructor(readonly region: string) {
    super(`--price-region ${region}: no prices for it; one of ${[...priceRegions().keys()].join(", ")} (data/aws-prices/regions.csv; add a row with its factor and source, or give --price <type>=<usd> per instance type)`);
    this.name = "UnknownPriceRegion";
  }
}

/** Prices for an environment's region (table rows, or us-east-1's times its factor); us-east-1's, said so, for a region the data cannot price. */
export function priceSourceFor(environmentRegion: string, requestedRegion: string | undefined, overrides: ReadonlyMap<string, number>): PriceSource {
  const known = priceRegions();
  const describe = (region: string, why: string) => {
    const factor = known.get(region);
    const own = onDemandPrices().has(region);
    if (own || !factor) return { region, note: `${region}, ${why}`, overrides, factor: 1 };
    return { region, note: `${region}, ${why}: us-east-1's × ${factor.factor} (${factor.basis}; data/aws-prices/regions.csv)`, overrides, factor: factor.factor };
  };
  if (requestedRegion !== undefined) {
    if (!known.has(requestedRegion) && !onDemandPrices().has(requestedRegion)) throw new UnknownPriceRegion(requestedRegion);
    return describe(requestedRegion, "as asked");
  }
  if (known.has(environmentRegion) || onDemandPrices().has(environmentRegion)) return describe(environmentRegion, "the environment's region");
  return { region: "us-east-1", note: `us-east-1: data/aws-prices has no factor for ${environmentRegion} (see its SOURCE.md)`, overrides, factor: 1 };
}

/** USD per hour of one instance, or undefined when neither the data nor an override has it. */
export function hourlyPrice(source: PriceSource, instanceType: string): number | undefined {
  const override = source.overrides.get(instanceType);
  if (override !== undefined) return override;
  const own = onDemandPrices().get(source.region)?.get(instanceType);
  if (own !== undefined) return own;
  const base = onDemandPrices().get("us-east-1")?.get(instanceType);
  return base === undefined ? undefined : base * source.factor;
}

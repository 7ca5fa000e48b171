import { readFileSync } from "node:fs";
import { dataFile } from "../../lib/data-files";

// EC2 on-demand Linux prices from data/ec2-prices (see its SOURCE.md: the AWS Price List API as of
// 2026-07-20, us-east-1 only). Read once per process.

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
}

/** Prices for an environment's region, or us-east-1's (said so) when the data has none for it. */
export function priceSourceFor(environmentRegion: string, requestedRegion: string | undefined, overrides: ReadonlyMap<string, number>): PriceSource {
  const regions = onDemandPrices();
  if (requestedRegion) {
    return { region: requestedRegion, note: regions.has(requestedRegion) ? `${requestedRegion} (as asked)` : `${requestedRegion} (as asked; no prices for it in data/ec2-prices)`, overrides };
  }
  if (regions.has(environmentRegion)) return { region: environmentRegion, note: `${environmentRegion}, the environment's region`, overrides };
  return {
    region: "us-east-1",
    note: `us-east-1: data/ec2-prices has no ${environmentRegion} prices (see its SOURCE.md; ${environmentRegion} is usually a little dearer)`,
    overrides,
  };
}

/** USD per hour of one instance, or undefined when neither the data nor an override has it. */
export function hourlyPrice(source: PriceSource, instanceType: string): number | undefined {
  return source.overrides.get(instanceType) ?? onDemandPrices().get(source.region)?.get(instanceType);
}

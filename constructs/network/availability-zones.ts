import { readFileSync } from "node:fs";
import { dataFile } from "../../lib/data-files";

// The zones each region's accounts can see, from data/aws/availability-zones.csv (see its
// SOURCE.md). Offline on purpose: the plan must not call AWS's DescribeAvailabilityZones.

let zones: ReadonlyMap<string, readonly string[]> | undefined;

/** Every region's zone names, e.g. `eu-west-1` → `eu-west-1a`, `eu-west-1b`, `eu-west-1c`. */
export function availabilityZonesByRegion(): ReadonlyMap<string, readonly string[]> {
  if (!zones) {
    zones = new Map(
      readFileSync(dataFile("aws", "availability-zones.csv"), "utf8")
        .split(/\r?\n/)
        .slice(1)
        .filter((line) => line.trim().length > 0)
        .map((line) => {
          const [region, letters] = line.split(",");
          return [region, letters.trim().split(/\s+/).map((letter) => `${region}${letter}`)];
        }),
    );
  }
  return zones;
}

/** The zones of one region; empty for a region the data does not list. */
export function availabilityZonesOf(region: string): readonly string[] {
  return availabilityZonesByRegion().get(region) ?? [];
}

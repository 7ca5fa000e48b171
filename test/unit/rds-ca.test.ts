import assert from "node:assert/strict";
import { createHash, X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { dataFile } from "../../lib/data-files";
import { RDS_CA_CERT_IDENTIFIER, rdsCaBundle, rdsGlobalBundle } from "../../constructs/database/rds-ca";

// The RDS certificate bundle shipped in data/rds: what PgBouncer and the bootstrap Job verify RDS
// against, per region.

const regions = readFileSync(dataFile("aws", "availability-zones.csv"), "utf8").trim().split("\n").slice(1).map((line) => line.split(",")[0]);
// Separate partitions have bundles of their own; ap-east-2 opened after the shipped bundle.
const NOT_IN_THE_GLOBAL_BUNDLE = ["ap-east-2", "cn-north-1", "cn-northwest-1", "us-gov-east-1", "us-gov-west-1"];

describe("the RDS certificate bundle", () => {
  it("holds, for every commercial region, the root of the authority the database asks for", () => {
    assert.equal(RDS_CA_CERT_IDENTIFIER, "rds-ca-rsa2048-g1");
    const missing: string[] = [];
    for (const region of regions.filter((r) => !NOT_IN_THE_GLOBAL_BUNDLE.includes(r))) {
      const subjects = (rdsCaBundle(region).match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? []).map((pem) => new X509Certificate(pem));
      if (!subjects.some((c) => c.subject.includes(`CN=Amazon RDS ${region} Root CA RSA2048 G1`) && c.ca && c.verify(c.publicKey))) missing.push(region);
      // Only the region's own roots.
      assert.ok(subjects.every((c) => c.subject.includes(`Amazon RDS ${region} Root CA`)), region);
    }
    assert.deepEqual(missing, []);
  });

  it("refuses a region it has no authority for, saying where to add one", () => {
    for (const region of NOT_IN_THE_GLOBAL_BUNDLE) {
      assert.throws(() => rdsCaBundle(region), new RegExp(`no RDS certificate authority for region ${region} in data/rds/global-bundle.pem.*data/rds/SOURCE.md`));
    }
  });

  it("is the file SOURCE.md names, byte for byte", () => {
    const file = readFileSync(dataFile("rds", "global-bundle.pem"));
    const sha = createHash("sha256").update(file).digest("hex");
    assert.match(readFileSync(dataFile("rds", "SOURCE.md"), "utf8"), new RegExp(sha));
    assert.equal(rdsGlobalBundle().length, 102);
  });
});

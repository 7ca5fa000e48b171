import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { cidrContains, cidrSubnet, cidrsOverlap, formatCidr, parseCidr } from "../../constructs/network/cidr";
import { defaultSubnetLayout } from "../../constructs/network/subnet-layout";

function block(text: string) {
  const parsed = parseCidr(text);
  assert.ok(parsed, `${text} parses`);
  return parsed;
}

describe("CIDR arithmetic", () => {
  it("parses and formats round-trip, rejecting host bits and out-of-range octets", () => {
    assert.equal(formatCidr(block("10.20.0.0/16")), "10.20.0.0/16");
    assert.equal(formatCidr(block("255.255.255.255/32")), "255.255.255.255/32");
    for (const bad of ["10.20.0.1/16", "10.256.0.0/16", "10.20.0.0/33", "10.20.0.0", "ten/8"]) {
      assert.equal(parseCidr(bad), undefined, bad);
    }
  });

  it("matches Terraform's cidrsubnet", () => {
    // cidrsubnet("10.30.0.0/16", 2, 3) = 10.30.192.0/18; cidrsubnet("10.30.192.0/18", 4, 2) = 10.30.200.0/22
    assert.equal(formatCidr(cidrSubnet(block("10.30.0.0/16"), 2, 3)), "10.30.192.0/18");
    assert.equal(formatCidr(cidrSubnet(block("10.30.192.0/18"), 4, 2)), "10.30.200.0/22");
    assert.throws(() => cidrSubnet(block("10.30.0.0/16"), 2, 4), /no subnet 4/);
  });

  it("detects overlap and containment at the edges", () => {
    assert.equal(cidrsOverlap(block("10.0.0.0/24"), block("10.0.1.0/24")), false);
    assert.equal(cidrsOverlap(block("10.0.0.0/23"), block("10.0.1.0/24")), true);
    assert.equal(cidrContains(block("10.0.0.0/16"), block("10.0.255.0/24")), true);
    assert.equal(cidrContains(block("10.0.0.0/16"), block("10.1.0.0/24")), false);
  });

  it("lays out disjoint private and public subnets inside the VPC", () => {
    const vpc = block("10.10.0.0/16");
    const layout = defaultSubnetLayout(vpc, 3);
    const all = [...layout.privateSubnetCidrs, ...layout.publicSubnetCidrs].map(block);
    for (const [i, a] of all.entries()) {
      assert.ok(cidrContains(vpc, a));
      for (const b of all.slice(i + 1)) assert.equal(cidrsOverlap(a, b), false);
    }
    assert.throws(() => defaultSubnetLayout(vpc, 4), /1 to 3 fit/);
  });
});

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Duration, isDbInstanceClass, isEc2InstanceType, Size } from "../../lib/units";

describe("values with units", () => {
  it("converts durations between units and refuses fractions instead of rounding", () => {
    assert.equal(Duration.hours(8).toSeconds(), 28800);
    assert.equal(Duration.days(14).toDays(), 14);
    assert.equal(Duration.minutes(90).toMinutes(), 90);
    assert.throws(() => Duration.hours(36).toDays(), /not a whole number of days/);
    assert.throws(() => Duration.seconds(-1), /not a duration/);
  });

  it("converts sizes and refuses fractions of a GiB", () => {
    assert.equal(Size.gibibytes(100).toMebibytes(), 102400);
    assert.equal(Size.mebibytes(2048).toGibibytes(), 2);
    assert.throws(() => Size.mebibytes(1500).toGibibytes(), /not a whole number of GiB/);
  });

  it("recognizes instance types and classes", () => {
    assert.ok(isEc2InstanceType("m6i.2xlarge"));
    assert.ok(!isEc2InstanceType("db.m6i.large.x"));
    assert.ok(isDbInstanceClass("db.r7g.large"));
    assert.ok(!isDbInstanceClass("r7g.large"));
  });
});

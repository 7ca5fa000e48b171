import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { deepMerge } from "../../lib/deep-merge";

describe("deepMerge, how environment files layer on the base", () => {
  it("merges objects key by key and replaces arrays and scalars", () => {
    assert.deepEqual(deepMerge({ a: { b: 1, c: [1, 2] }, d: "x" }, { a: { c: [3] }, d: "y" }), { a: { b: 1, c: [3] }, d: "y" });
  });

  it("replaces a variant of another kind whole, so no field leaks across", () => {
    const s3 = { kind: "s3", bucket: "b", region: "eu-west-1", kmsKeyId: "alias/k" };
    assert.deepEqual(deepMerge({ backend: s3 }, { backend: { kind: "local", directory: "state" } }), { backend: { kind: "local", directory: "state" } });
    assert.deepEqual(deepMerge({ backend: s3 }, { backend: { bucket: "other" } }), { backend: { ...s3, bucket: "other" } });
  });
});

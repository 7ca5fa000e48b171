import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { describe, it } from "node:test";
import { loadEnvironments } from "../../environments";
import { credentialRefreshTargets } from "../../stacks/credential-refresh";
import { synthesize } from "../support/synth";

const root = resolve(__dirname, "../..");
const environments = loadEnvironments(undefined);
const synthesized = synthesize(environments);
const MASTER_SECRET = /data\.aws_secretsmanager_secret_version\.metadata-connection_master-secret_/;

describe("the scheduled credential refresh", () => {
  for (const { name } of environments) {
    it(`${name}: targets every resource that carries the master password or its version, and no release`, () => {
      const stack = synthesized.stackJson(`${name}-platform`);
      const targets = credentialRefreshTargets(name, stack);
      const carriers = Object.entries(stack.resource).flatMap(([type, resources]) =>
        Object.entries(resources)
          .filter(([, resource]) => MASTER_SECRET.test(JSON.stringify(resource)))
          .map(([id]) => `${type}.${id}`),
      );
      assert.ok(carriers.length >= 2, "PgBouncer's config Secret and the rollout annotation");
      for (const carrier of carriers) assert.ok(targets.includes(carrier), `${carrier} is refreshed`);
      assert.deepEqual([...new Set(targets.map((t) => t.split(".")[0]))].sort(), ["kubernetes_annotations", "kubernetes_secret_v1", "random_password"]);
    });
  }

  it("refuses a stack without the metadata connection or the rollout, rather than applying less", () => {
    assert.throws(() => credentialRefreshTargets("dev", { resource: {} }), /dev-platform: no resource under dev\/dev-platform\/metadata-connection\//);
    const stack = synthesized.stackJson("dev-platform");
    const withoutRollout = { resource: { ...stack.resource, kubernetes_annotations: {} } };
    assert.throws(() => credentialRefreshTargets("dev", withoutRollout), /no resource under dev\/dev-platform\/pgbouncer-rollout\//);
  });

  it("npm run refresh-credentials applies only those targets in the synthesized stack's directory", () => {
    const env = { ...process.env, CDKTF_OUTDIR: synthesized.outdir };
    const run = spawnSync(process.execPath, ["--import", "tsx", "scripts/refresh-credentials.ts", "prod", "--dry-run"], { cwd: root, env, encoding: "utf8" });
    assert.equal(run.status, 0, run.stderr);
    const [init, apply] = run.stdout.trim().split("\n");
    const chdir = `-chdir=${synthesized.stackDir("prod-platform")}`;
    assert.equal(init, `terraform ${chdir} init -input=false`);
    const expected = credentialRefreshTargets("prod", synthesized.stackJson("prod-platform")).map((t) => `-target=${t}`);
    assert.equal(apply, `terraform ${chdir} apply -input=false -auto-approve ${expected.join(" ")}`);
  });
});

import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { runCli } from "../../cli/main";
import { validateEnvironment, validateEnvironments } from "../../environments";
import { DEPRECATED_FIELDS } from "../../configuration/common/deprecations";
import { mergeEnvironment, type EnvironmentOverrides } from "../../configuration/schema/merge";
import { environments } from "../fixtures/consumer-0.1.0/environments";
import { tempDir } from "../support/temp";

// A consumer written against 0.1.0 upgrades to this release without editing its environments:
// a removed field is a warning naming its replacement, new fields have safe defaults.

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { stdout: (s: string) => void out.push(s), stderr: (s: string) => void err.push(s) }, out: () => out.join(""), err: () => err.join("") };
}

describe("a consumer written against 0.1.0", () => {
  it("synthesizes with the shipped command, warning about each deprecated field and failing on nothing", async () => {
    const outdir = tempDir("upgrade-0-1-0");
    const run = capture();
    assert.equal(await runCli(["synth", "--out", outdir], { environments, io: run.io }), 0, run.err());
    for (const layer of ["infrastructure", "platform", "observability"]) assert.ok(existsSync(join(outdir, "stacks", `live-${layer}`, "cdk.tf.json")), layer);
    const warnings = run.err().split("\n").filter((line) => line.length > 0);
    const deprecations = warnings.filter((line) => line.includes("is deprecated since"));
    assert.deepEqual(deprecations, [
      "Warning: [live] airflow.pgbouncer.resultBackendPoolSize is deprecated since 0.2.0 and ignored; 0.3.0 will refuse it. Use airflow.pgbouncer.metadataPoolSize: Airflow 3 keeps task results in the metadata database, so one PgBouncer pool serves both; size that one.",
    ]);
    // Beside them, only what synth tells every environment without a UI hostname.
    assert.deepEqual(warnings.filter((line) => !deprecations.includes(line)).map((line) => /^Warning: \[live\] no airflow\.ui/.test(line)), [true]);
  });

  it("gets no in-VPC GitHub runner without ci.connectionArn, and no plan role access without ci.planRoleArn", async () => {
    const outdir = tempDir("upgrade-0-1-0-ci");
    assert.equal(await runCli(["synth", "--out", outdir], { environments, io: capture().io }), 0);
    const infrastructure = readFileSync(join(outdir, "stacks", "live-infrastructure", "cdk.tf.json"), "utf8");
    assert.doesNotMatch(infrastructure, /aws_codebuild_project|aws_codebuild_webhook/);
    assert.doesNotMatch(infrastructure, /ci_runner_project/);
    assert.doesNotMatch(infrastructure, /\/ci-runner\//, "neither the runner nor the plan role's access entry");
    const withRunner = validateEnvironments([mergeEnvironment(environments.live as EnvironmentOverrides, { ci: { connectionArn: "arn:aws:codeconnections:eu-west-1:480917253612:connection/2b1d6f1e-8c2f-4f55-9d2b-7a1c0e3f9a11", repository: "acme-data/airflow-platform" } })], () => undefined);
    assert.equal(withRunner[0].ci.connectionArn?.endsWith("7a1c0e3f9a11"), true);
  });

  it("sizes the base's memory pool when the environment does not: complete, from zero, at most one node", () => {
    const result = validateEnvironment(environments.live);
    assert.ok(result.ok, JSON.stringify(result));
    const memory = result.config.nodeGroups.taskPools.memory;
    assert.deepEqual([memory.minSize, memory.maxSize], [0, 1]);
  });

  it("takes the deprecated field out before validation and never quotes its value", () => {
    const planted = mergeEnvironment(environments.live as EnvironmentOverrides, { airflow: { pgbouncer: { resultBackendPoolSize: 987654 } } });
    const result = validateEnvironment(planted);
    assert.ok(result.ok, JSON.stringify(result));
    assert.equal(result.warnings?.length, DEPRECATED_FIELDS.length);
    assert.ok(result.warnings?.every((w) => !w.includes("987654")));
  });

  it("reaches a library user who passes no warn as Node's DeprecationWarning", async () => {
    const seen: Error[] = [];
    const listener = (warning: Error) => void seen.push(warning);
    process.on("warning", listener);
    try {
      validateEnvironments([environments.live]);
      await new Promise<void>((resolve) => setImmediate(resolve));
    } finally {
      process.off("warning", listener);
    }
    assert.deepEqual(seen.map((w) => [w.name, /resultBackendPoolSize.*metadataPoolSize/.test(w.message)]), [["DeprecationWarning", true]]);
  });
});

import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { runCli } from "../../cli/main";
import { validateEnvironment, validateEnvironments } from "../../environments";
import { DEPRECATED_FIELDS, withoutDeprecatedFields } from "../../configuration/common/deprecations";
import { emitDeprecation } from "../../configuration/validation/validate";
import { mergeEnvironment, type EnvironmentOverrides } from "../../configuration/schema/merge";
import { PACKAGE_VERSION } from "../../lib/package-version";
import { environments } from "../fixtures/consumer-0.1.0/environments";
import { tempDir } from "../support/temp";

// A consumer written against 0.1.0 upgrades through 0.2.0 (a removed field is a warning naming its
// replacement) to this release (it is refused, still naming it); after the steps docs/upgrading.md
// gives, it synthesizes with nothing to fix. New fields have safe defaults.

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { stdout: (s: string) => void out.push(s), stderr: (s: string) => void err.push(s) }, out: () => out.join(""), err: () => err.join("") };
}

/** The environment as docs/upgrading.md's steps leave it: every field this release refuses taken out. */
function upgraded(environment: unknown): unknown {
  const copy: unknown = structuredClone(environment);
  for (const field of DEPRECATED_FIELDS) {
    const parent = field.path.slice(0, -1).reduce<unknown>((at, key) => (typeof at === "object" && at !== null ? (at as Record<string, unknown>)[key] : undefined), copy);
    if (typeof parent === "object" && parent !== null) delete (parent as Record<string, unknown>)[field.path[field.path.length - 1]];
  }
  return copy;
}

const live = upgraded(environments.live);

describe("a consumer written against 0.1.0", () => {
  it("is refused as written, once, at the field this release removed, with its replacement named and its value not quoted", async () => {
    const result = validateEnvironment(environments.live);
    assert.ok(!result.ok, "refused");
    assert.deepEqual(
      result.problems.map((p) => [p.environment, p.field]),
      [["live", "airflow.pgbouncer.resultBackendPoolSize"]],
    );
    const [problem] = result.problems;
    assert.match(problem.given, /removed in 0\.3\.0 \(deprecated since 0\.2\.0\)/);
    assert.match(problem.allowed, /remove it\. Use airflow\.pgbouncer\.metadataPoolSize/);
    const run = capture();
    assert.notEqual(await runCli(["synth", "--out", tempDir("upgrade-0-1-0-refused")], { environments, io: run.io }), 0);
    assert.match(run.err(), /airflow\.pgbouncer\.resultBackendPoolSize/);
    assert.doesNotMatch(run.err(), /\b10\b/, "the value given is not quoted");
  });

  it("after the upgrade steps, synthesizes with the shipped command, warning only that it has no UI hostname", async () => {
    const outdir = tempDir("upgrade-0-1-0");
    const run = capture();
    assert.equal(await runCli(["synth", "--out", outdir], { environments: { live }, io: run.io }), 0, run.err());
    for (const layer of ["infrastructure", "platform", "observability"]) assert.ok(existsSync(join(outdir, "stacks", `live-${layer}`, "cdk.tf.json")), layer);
    const warnings = run.err().split("\n").filter((line) => line.length > 0);
    assert.deepEqual(warnings.map((line) => /^Warning: \[live\] no airflow\.ui/.test(line)), [true], warnings.join("\n"));
  });

  it("gets no in-VPC GitHub runner without ci.connectionArn, and no plan role access without ci.planRoleArn", async () => {
    const outdir = tempDir("upgrade-0-1-0-ci");
    assert.equal(await runCli(["synth", "--out", outdir], { environments: { live }, io: capture().io }), 0);
    const infrastructure = readFileSync(join(outdir, "stacks", "live-infrastructure", "cdk.tf.json"), "utf8");
    assert.doesNotMatch(infrastructure, /aws_codebuild_project|aws_codebuild_webhook/);
    assert.doesNotMatch(infrastructure, /ci_runner_project/);
    assert.doesNotMatch(infrastructure, /\/ci-runner\//, "neither the runner nor the plan role's access entry");
    const withRunner = validateEnvironments([mergeEnvironment(live as EnvironmentOverrides, { ci: { connectionArn: "arn:aws:codeconnections:eu-west-1:480917253612:connection/2b1d6f1e-8c2f-4f55-9d2b-7a1c0e3f9a11", repository: "acme-data/airflow-platform" } })], () => undefined);
    assert.equal(withRunner[0].ci.connectionArn?.endsWith("7a1c0e3f9a11"), true);
  });

  it("sizes the base's memory pool when the environment does not: complete, from zero, at most one node", () => {
    const result = validateEnvironment(live);
    assert.ok(result.ok, JSON.stringify(result));
    const memory = result.config.nodeGroups.taskPools.memory;
    assert.deepEqual([memory.minSize, memory.maxSize], [0, 1]);
  });
});

describe("a deprecated field, in its grace release and after it", () => {
  const planted = mergeEnvironment(live as EnvironmentOverrides, { airflow: { pgbouncer: { resultBackendPoolSize: 987654 } } });
  const field = DEPRECATED_FIELDS[0];

  it("is taken out before validation with a warning that names the replacement and the release that refuses it, in the release that deprecated it", () => {
    const result = withoutDeprecatedFields(planted, field.since);
    assert.deepEqual(result.removed, []);
    assert.equal(result.warnings.length, 1);
    assert.match(result.warnings[0], new RegExp(`${field.path.join("\\.")} is deprecated since ${field.since} .*${field.refusedFrom} will refuse it\\. Use `));
    assert.ok(!result.warnings[0].includes("987654"));
    assert.equal(validateEnvironment(result.input).ok, true);
  });

  it("is refused from the release its deprecation named, never quoting its value", () => {
    const result = withoutDeprecatedFields(planted, field.refusedFrom);
    assert.deepEqual(result.warnings, []);
    assert.deepEqual(result.removed.map((r) => r.path.join(".")), [field.path.join(".")]);
    const validated = validateEnvironment(planted);
    assert.ok(!validated.ok);
    assert.ok(validated.problems.every((p) => !JSON.stringify(p).includes("987654")));
  });

  it("this release is the one package.json names", () => {
    const pkg = JSON.parse(readFileSync(join(__dirname, "..", "..", "package.json"), "utf8")) as { version: string };
    assert.equal(PACKAGE_VERSION, pkg.version);
  });

  it("reaches a library user who passes no warn as Node's DeprecationWarning", async () => {
    const seen: Error[] = [];
    const listener = (warning: Error) => void seen.push(warning);
    process.on("warning", listener);
    try {
      emitDeprecation(withoutDeprecatedFields(planted, field.since).warnings[0]);
      await new Promise<void>((resolve) => setImmediate(resolve));
    } finally {
      process.off("warning", listener);
    }
    assert.deepEqual(seen.map((w) => [w.name, (w as Error & { code?: string }).code, /resultBackendPoolSize.*metadataPoolSize/.test(w.message)]), [["DeprecationWarning", "AIRFLOW_PLATFORM_DEPRECATED_FIELD", true]]);
  });
});

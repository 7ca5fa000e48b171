import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, it } from "node:test";
import { loadEnvironments } from "../../environments";
import { accountBootstrapStackName } from "../../stacks/account-bootstrap-stack";
import { tempDir } from "../support/temp";

const root = resolve(__dirname, "../..");

/** Each environment's three stacks, and one account-bootstrap stack per account they live in. */
function stacksOf(environments: string[]): string[] {
  const accounts = new Set(loadEnvironments(environments.join(",")).map((e) => accountBootstrapStackName(e.account.id)));
  return [...environments.flatMap((e) => [`${e}-infrastructure`, `${e}-observability`, `${e}-platform`]), ...accounts].sort();
}

function runMain(environments: string | undefined) {
  const outdir = join(tempDir("main"), "cdktf.out");
  const env: NodeJS.ProcessEnv = { ...process.env, CDKTF_OUTDIR: outdir };
  if (environments === undefined) delete env.AIRFLOW_ENVIRONMENTS;
  else env.AIRFLOW_ENVIRONMENTS = environments;
  const run = spawnSync(process.execPath, ["scripts/app.js"], { cwd: root, env, encoding: "utf8" });
  return { ...run, outdir };
}

describe("main.ts through scripts/app.js, the app cdktf runs", () => {
  it("synthesizes only the environments AIRFLOW_ENVIRONMENTS names", () => {
    const run = runMain("dev,prod");
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(readdirSync(join(run.outdir, "stacks")).sort(), stacksOf(["dev", "prod"]));
  });

  it("synthesizes every shipped environment by default", () => {
    const run = runMain(undefined);
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(readdirSync(join(run.outdir, "stacks")).sort(), stacksOf(["dev", "staging", "prod"]));
  });

  it("says, when synthesizing, that an environment without a UI certificate is reachable only by port-forward", () => {
    const run = runMain("dev,prod");
    assert.equal(run.status, 0, run.stderr);
    for (const env of ["dev", "prod"]) {
      assert.match(run.stderr, new RegExp(`Warning: \\[${env}\\] no airflow\\.ui \\(hostname and ACM certificate\\): .*reachable only with kubectl -n airflow port-forward svc/airflow-api-server`));
    }
  });

  it("fails on an unknown environment before writing any output", () => {
    const run = runMain("dev,qa");
    assert.equal(run.status, 1);
    assert.match(run.stderr, /\[qa\] \(app\) › AIRFLOW_ENVIRONMENTS: given "qa"; one of dev, staging, prod/);
    assert.equal(existsSync(run.outdir), false, "no partial cdktf.out");
  });

  it("writes exactly what the unbundled sources write, token by token (tsx, cdktf as shipped)", () => {
    const bundled = runMain("staging");
    assert.equal(bundled.status, 0, bundled.stderr);
    const outdir = join(tempDir("tsx"), "cdktf.out");
    const env: NodeJS.ProcessEnv = { ...process.env, CDKTF_OUTDIR: outdir, AIRFLOW_ENVIRONMENTS: "staging" };
    const unbundled = spawnSync(process.execPath, ["--import", "tsx", "main.ts"], { cwd: root, env, encoding: "utf8" });
    assert.equal(unbundled.status, 0, unbundled.stderr);
    for (const stack of stacksOf(["staging"])) {
      const file = join("stacks", stack, "cdk.tf.json");
      assert.equal(readFileSync(join(bundled.outdir, file), "utf8"), readFileSync(join(outdir, file), "utf8"), file);
    }
  });

  it("bundles cdktf and the provider classes, with cdktf's token traces left out", () => {
    const run = runMain("dev");
    assert.equal(run.status, 0, run.stderr);
    const bundle = readFileSync(join(root, "node_modules/.cache/airflow-platform/main.js"), "utf8");
    assert.match(bundle, /"node_modules\/cdktf\/lib\/terraform-stack\.js"/);
    assert.match(bundle, /"node_modules\/@cdktf\/provider-aws\/lib\/eks-cluster\/index\.js"/);
    const traces = /"node_modules\/cdktf\/lib\/tokens\/private\/stack-trace\.js"\(exports2?\) \{\s*(.*?)\s*\}/s.exec(bundle);
    assert.equal(traces?.[1], "exports2.captureStackTrace = () => [];");
  });

  it("does not load archiver when no asset is zipped", () => {
    const outdir = join(tempDir("archiver"), "cdktf.out");
    const probe = [
      "process.on('exit', () => console.log(JSON.stringify(Object.keys(require.cache).filter((f) => f.includes('archiver')))));",
      "require('./scripts/app.js');",
    ].join("\n");
    const env = { ...process.env, CDKTF_OUTDIR: outdir, AIRFLOW_ENVIRONMENTS: "dev" };
    const run = spawnSync(process.execPath, ["-e", probe], { cwd: root, env, encoding: "utf8" });
    assert.equal(run.status, 0, run.stderr);
    assert.ok(existsSync(join(outdir, "stacks", "dev-platform", "cdk.tf.json")));
    assert.deepEqual(JSON.parse(run.stdout.trim().split("\n").pop() ?? ""), [], "archiver required at load");
    const bundle = readFileSync(join(root, "node_modules/.cache/airflow-platform/main.js"), "utf8");
    assert.doesNotMatch(bundle, /node_modules\/archiver\/index\.js"/, "archiver bundled, so loaded with cdktf");
  });

  it("runs through the cdktf CLI and cdktf.json (npx cdktf synth)", () => {
    const outdir = join(tempDir("cli"), "cdktf.out");
    const cli = join(root, "node_modules/cdktf-cli/bundle/bin/cdktf");
    const env: NodeJS.ProcessEnv = { ...process.env, CHECKPOINT_DISABLE: "1", CI: "1", AIRFLOW_ENVIRONMENTS: "dev" };
    const run = spawnSync(process.execPath, [cli, "synth", "--output", outdir], { cwd: root, env, encoding: "utf8" });
    assert.equal(run.status, 0, `${run.stdout}${run.stderr}`);
    assert.deepEqual(readdirSync(join(outdir, "stacks")).sort(), stacksOf(["dev"]));
  });

  it("never loads a provider package's root module", () => {
    const probe = [
      "require('./index');",
      "const roots = Object.keys(require.cache).filter((f) => /@cdktf[\\\\/]provider-[a-z]+[\\\\/]lib[\\\\/]index\\.js$/.test(f));",
      "process.stdout.write(JSON.stringify(roots));",
    ].join("\n");
    const run = spawnSync(process.execPath, ["--import", "tsx", "-e", probe], { cwd: root, encoding: "utf8" });
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), []);
  });
});

import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, symlinkSync } from "node:fs";
import { join, resolve } from "node:path";
import { before, describe, it } from "node:test";
import { checkovProgram } from "../../tools/policy/checkov/run-checkov";
import { helmProgram } from "../../tools/policy/checkov/render-releases";
import { tempDir } from "../support/temp";

// The library as a consumer gets it: `npm run build`, `npm pack`, the tarball unpacked into a
// copy of an example app, and only the packages its package.json declares made resolvable
// (linked from this checkout's node_modules, so the test needs no network). A missing file in
// `files`, a broken `exports` or `bin`, or an undeclared dependency fails here.

const root = resolve(__dirname, "../..");

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): string {
  try {
    return execFileSync(command, args, { cwd, encoding: "utf8", env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(" ")} failed in ${cwd}:\n${failed.stdout ?? ""}${failed.stderr ?? ""}`);
  }
}

interface PackageJson {
  readonly bin?: Record<string, string>;
  readonly dependencies?: Record<string, string>;
  readonly peerDependencies?: Record<string, string>;
  readonly devDependencies?: Record<string, string>;
  readonly private?: boolean;
  readonly license?: string;
}

let tarball = "";
let files: string[] = [];

function packOnce(): void {
  if (tarball) return;
  run(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.build.json"], root);
  const packDir = tempDir("pack");
  const packed = JSON.parse(run("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", packDir], root)) as { filename: string; files: { path: string }[] }[];
  files = packed[0].files.map((f) => f.path);
  tarball = join(packDir, packed[0].filename);
}

/** A copy of an example with the packed library and the declared dependencies in node_modules. */
function install(example: string): string {
  packOnce();
  const dir = join(tempDir(example), example);
  cpSync(join(root, "examples", example), dir, { recursive: true, filter: (p) => !p.includes("node_modules") && !p.includes("cdktf.out") });
  const modules = join(dir, "node_modules");
  mkdirSync(modules);
  run("tar", ["-xzf", tarball, "-C", modules], root);
  renameSync(join(modules, "package"), join(modules, "airflow-platform"));
  const library = JSON.parse(readFileSync(join(modules, "airflow-platform/package.json"), "utf8")) as PackageJson;
  const consumer = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as PackageJson;
  const needed = new Set([...Object.keys(library.dependencies ?? {}), ...Object.keys(library.peerDependencies ?? {}), ...Object.keys(consumer.devDependencies ?? {})]);
  for (const name of needed) {
    const target = join(modules, name);
    mkdirSync(join(target, ".."), { recursive: true });
    symlinkSync(join(root, "node_modules", name), target, "dir");
  }
  return dir;
}

/** The package's bin as npm would link it: the path package.json's `bin` names. */
function bin(dir: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const manifest = JSON.parse(readFileSync(join(dir, "node_modules/airflow-platform/package.json"), "utf8")) as PackageJson;
  const script = join(dir, "node_modules/airflow-platform", manifest.bin?.["airflow-platform"] ?? "(no bin)");
  return spawnSync(process.execPath, [script, ...args], { cwd: dir, encoding: "utf8", env: { ...process.env, ...env } });
}

describe("the packed library in the consumer example", () => {
  let example: string;
  before(() => {
    example = install("consumer");
  });

  it("ships compiled code, the command, type declarations, the data it reads, the reference and the licence, and no tests", () => {
    for (const file of ["dist/index.js", "dist/index.d.ts", "dist/cli/main.js", "dist/tools/plan/offline-plan.js", "bin/airflow-platform.js", "data/airflow-chart/values.schema.json", "data/datadog/airflow-metadata.csv", "data/aws/instance-types.csv", "data/aws/availability-zones.csv", "docs/configuration.md", "docs/environment.schema.json", "python/airflow.in", "python/airflow.lock", "CHANGELOG.md", "examples/consumer/main.ts", "LICENSE", "package.json"]) {
      assert.ok(files.includes(file), file);
    }
    // TypeScript sources only in the example the docs point at (examples/consumer), none of the project's own.
    assert.equal(files.some((f) => f.startsWith("test/") || (f.endsWith(".ts") && !f.endsWith(".d.ts") && !f.startsWith("examples/consumer/"))), false);
    const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as PackageJson & { scripts: Record<string, string> };
    assert.equal(manifest.private, undefined, "publishable");
    assert.equal(manifest.license, "Apache-2.0");
    assert.match(readFileSync(join(root, "LICENSE"), "utf8"), /Apache License\s+Version 2\.0, January 2004/);
    assert.match(manifest.scripts.prepack, /npm run build/);
  });

  it("imports only the public entry", () => {
    const source = readFileSync(join(example, "main.ts"), "utf8");
    assert.doesNotMatch(source, /from "airflow-platform\//);
    const deep = spawnSync(process.execPath, ["-e", "require('airflow-platform/dist/stacks/airflow-platform')"], { cwd: example, encoding: "utf8" });
    assert.notEqual(deep.status, 0, "exports hides the internals");
  });

  it("type-checks against the published declarations", () => {
    run(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.json"], example);
  });

  it("synthesizes the custom environment on its own VPC with its overrides", () => {
    const outdir = join(example, "cdktf.out");
    run(process.execPath, ["--import", "tsx", "main.ts"], example, { CDKTF_OUTDIR: outdir });
    assert.deepEqual(readdirSync(join(outdir, "stacks")).sort(), ["analytics-infrastructure", "analytics-observability", "analytics-platform"]);
    const infrastructure = readFileSync(join(outdir, "stacks/analytics-infrastructure/cdk.tf.json"), "utf8");
    assert.doesNotMatch(infrastructure, /"aws_vpc"/);
    assert.match(infrastructure, /"m7i\.2xlarge"/);
    const observability = readFileSync(join(outdir, "stacks/analytics-observability/cdk.tf.json"), "utf8");
    assert.match(observability, /Critical DAG finance_close failed/);
    assert.ok(existsSync(join(outdir, "manifest.json")));
  });
});

describe("the shipped command in another team's app (us-east-1, an existing VPC, its own environments)", () => {
  let team: string;
  before(() => {
    team = install("platform-team");
    copyFileSync(join(root, "test/package/consumer-mistakes.ts"), join(team, "consumer-mistakes.ts"));
  });

  it("type-checks the team's environments, app and mistakes against the published declarations", () => {
    run(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.json"], team);
    run(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "--noEmit", "--strict", "--module", "node16", "--moduleResolution", "node16", "--skipLibCheck", "--types", "node", "consumer-mistakes.ts"], team);
  });

  it("synth: the team's environments module, one line per stack, the custom instance type, no VPC for live", () => {
    const outdir = join(team, "cdktf.out");
    const synth = bin(team, ["synth", "--out", outdir]);
    assert.equal(synth.status, 0, synth.stderr);
    assert.deepEqual(readdirSync(join(outdir, "stacks")).sort(), ["bootstrap-210987654321", "live-infrastructure", "live-observability", "live-platform", "stage-infrastructure", "stage-observability", "stage-platform"]);
    assert.match(synth.stdout, /^ {2}live-infrastructure\s+\d+ resources {2}cdktf\.out\/stacks\/live-infrastructure$/m);
    assert.match(synth.stdout, /^Synthesized 7 stacks in \d+\.\d\d s$/m);
    const live = readFileSync(join(outdir, "stacks/live-infrastructure/cdk.tf.json"), "utf8");
    assert.doesNotMatch(live, /"aws_vpc"|"aws_nat_gateway"/);
    assert.match(live, /"m9a\.xlarge"/);
    assert.match(live, /"AL2023_x86_64_STANDARD"/);
    assert.match(live, /"us-east-1"/);
    assert.match(readFileSync(join(outdir, "stacks/stage-infrastructure/cdk.tf.json"), "utf8"), /"aws_vpc"/);
    assert.match(readFileSync(join(outdir, "stacks/stage-observability/cdk.tf.json"), "utf8"), /Task nodes near their CPU/);
  });

  it("--help names every command", () => {
    const help = bin(team, ["--help"]);
    assert.equal(help.status, 0);
    for (const command of ["synth", "policy", "capacity", "promote-check"]) assert.match(help.stdout, new RegExp(`^  ${command} `, "m"));
  });

  it("capacity: the tables from the custom instance type's facts, and how to replay a night, without an export", () => {
    const capacity = bin(team, ["capacity", "stage"]);
    assert.equal(capacity.status, 0, capacity.stderr);
    assert.match(capacity.stdout, /^ {2}tasks +m9a\.xlarge +ON_DEMAND +0–8 +\d+m CPU/m);
    assert.match(capacity.stdout, /No nightly run replayed: pass --dag <tasks\.json> --runs/);
  });

  it("capacity: the team's night replayed from Airflow REST API exports on its own pools", () => {
    const exported = join(root, "examples/nightly-export");
    const runs = readdirSync(join(exported, "runs")).map((file) => join(exported, "runs", file));
    const capacity = bin(team, ["capacity", "stage", "--dag", join(exported, "tasks.json"), "--runs", ...runs, "--map", join(exported, "task-map.json")]);
    assert.ok(capacity.status === 0 || capacity.status === 3, capacity.stderr);
    assert.match(capacity.stdout, /Nightly run of high_priorities: 200 tasks/);
    assert.match(capacity.stdout, /^ {2}finishes +\d+h\d\d/m);
  });

  it("promote-check: stage → live differs only where environments may", () => {
    const promote = bin(team, ["promote-check", "stage", "live"]);
    assert.equal(promote.status, 0, `${promote.stdout}${promote.stderr}`);
    assert.match(promote.stdout, /Promotion stage → live: \d+ differences, 0 not allowed/);
  });

  it("policy: the offline plan of live's infrastructure and the rules over all three stacks pass", () => {
    // checkov and Helm are the project's tools, not the package's: a consumer points at its own.
    const policy = bin(team, ["policy", "live"], { AIRFLOW_PLATFORM_CHECKOV: checkovProgram(), AIRFLOW_PLATFORM_HELM: helmProgram() });
    assert.equal(policy.status, 0, `${policy.stdout}${policy.stderr}`);
    assert.match(policy.stdout, /^Policy: live — \d+ checks, 0 failed/m);
    assert.match(policy.stdout, /rds-multi-az\s+CKV_AWS_157\s+1 resource\s+pass/);
  });

  it("a configuration error from the bin is printed once, without a stack trace, and writes nothing", () => {
    const outdir = join(team, "bad.out");
    const result = bin(team, ["synth", "nowhere", "--out", outdir]);
    assert.equal(result.status, 1);
    assert.equal(result.stderr.match(/Invalid environment configuration/g)?.length, 1, result.stderr);
    assert.match(result.stderr, /\[nowhere\] \(app\) › environment selection: given "nowhere"; one of stage, live/);
    assert.doesNotMatch(result.stderr, /\n\s+at /);
    assert.equal(existsSync(outdir), false);
  });

  it("refuses every mistake in the corpus before Terraform: environment, field, given, allowed, nothing written", () => {
    const lines = run(process.execPath, ["--import", "tsx", "consumer-mistakes.ts"], team).trim().split("\n");
    const results = lines.map((line) => JSON.parse(line) as { title: string; code: number; stdout: string; stderr: string; problems: { environment: string; field: string; given: string; allowed: string }[]; wrote: boolean });
    const expected: Record<string, readonly string[]> = {
      "an instance type neither in the data nor added": ["stage:nodeGroups.tasks.instanceTypes.0"],
      "an extra instance type without a reason": ["stage:extraInstanceTypes.0.reason"],
      "the CeleryExecutor through chartValueOverrides": ["live:airflow.chartValueOverrides.executor"],
      "evictable task pods through chartValueOverrides": ["live:airflow.chartValueOverrides.podTemplate"],
      "PgBouncer off through chartValueOverrides": ["live:airflow.chartValueOverrides.pgbouncer.enabled"],
      "a staging environment still carrying the shipped example's placeholders": ["stage:account.id", "stage:observability.slack.account", "stage:airflow.gitSync.repository"],
      "a typo, min above max and an oversized PgBouncer pool in one file": ["stage:taskImages.keepTagedImages", "stage:nodeGroups.tasks.minSize", "stage:airflow.pgbouncer.metadataPoolSize"],
      "two environments with one name": ["stage:name"],
      "NAT gateways demanded of an existing VPC": ["live:network.natGateways"],
      "a zone the region does not have": ["stage:availabilityZones.2"],
      "an existing VPC with fewer private subnets than zones": ["live:network.existingVpc.privateSubnetIds"],
    };
    assert.deepEqual(results.map((r) => r.title).sort(), Object.keys(expected).sort());
    for (const result of results) {
      assert.equal(result.code, 1, result.title);
      assert.equal(result.wrote, false, `${result.title}: wrote cdktf.out`);
      assert.equal(result.stdout, "", `${result.title}: printed a synth summary`);
      assert.equal(result.stderr.match(/Invalid environment configuration/g)?.length, 1, result.title);
      for (const wanted of expected[result.title]) {
        const [environment, field] = wanted.split(":");
        assert.match(result.stderr, new RegExp(`\\[${environment}\\] \\S+ › ${field.replace(/\./g, "\\.")}: given .+; .+`), `${result.title}: ${wanted}\n${result.stderr}`);
      }
    }
  });
});

import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, symlinkSync } from "node:fs";
import { join, resolve } from "node:path";
import { before, describe, it } from "node:test";
import { tempDir } from "../support/temp";

// The library as a consumer gets it: `npm run build`, `npm pack`, the tarball unpacked into a
// copy of examples/consumer, and only the packages its package.json declares made resolvable
// (linked from this checkout's node_modules, so the test needs no network). A missing file in
// `files`, a broken `exports` or an undeclared dependency fails here.

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
  readonly dependencies?: Record<string, string>;
  readonly peerDependencies?: Record<string, string>;
  readonly devDependencies?: Record<string, string>;
}

describe("the packed library in the consumer example", () => {
  let example: string;
  let files: string[];

  before(() => {
    run(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.build.json"], root);
    const packDir = tempDir("pack");
    const packed = JSON.parse(run("npm", ["pack", "--json", "--pack-destination", packDir], root)) as { filename: string; files: { path: string }[] }[];
    files = packed[0].files.map((f) => f.path);
    example = join(tempDir("consumer"), "consumer");
    cpSync(join(root, "examples/consumer"), example, { recursive: true, filter: (p) => !p.includes("node_modules") && !p.includes("cdktf.out") });
    const modules = join(example, "node_modules");
    mkdirSync(modules);
    run("tar", ["-xzf", join(packDir, packed[0].filename), "-C", modules], root);
    renameSync(join(modules, "package"), join(modules, "airflow-platform"));
    const library = JSON.parse(readFileSync(join(modules, "airflow-platform/package.json"), "utf8")) as PackageJson;
    const consumer = JSON.parse(readFileSync(join(example, "package.json"), "utf8")) as PackageJson;
    const needed = new Set([
      ...Object.keys(library.dependencies ?? {}),
      ...Object.keys(library.peerDependencies ?? {}),
      ...Object.keys(consumer.devDependencies ?? {}),
    ]);
    for (const name of needed) {
      const target = join(modules, name);
      mkdirSync(join(target, ".."), { recursive: true });
      symlinkSync(join(root, "node_modules", name), target, "dir");
    }
  });

  it("ships compiled code, type declarations and the data it reads, and no tests", () => {
    for (const file of ["dist/index.js", "dist/index.d.ts", "data/airflow-chart/values.schema.json", "data/datadog/airflow-metadata.csv", "data/aws/instance-types.csv", "package.json"]) {
      assert.ok(files.includes(file), file);
    }
    assert.equal(files.some((f) => f.startsWith("test/") || f.endsWith(".ts") && !f.endsWith(".d.ts")), false);
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

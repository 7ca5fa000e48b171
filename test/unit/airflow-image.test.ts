import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, symlinkSync, writeFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { runCli } from "../../cli/main";
import type { CommandIo } from "../../tools/common/command-io";
import { AIRFLOW_CHART } from "../../constructs/airflow/chart-versions";
import { airflowImageDockerfile, airflowImageTag, PLATFORM_AIRFLOW_IMAGE, type AirflowImageRecipe } from "../../constructs/airflow/airflow-image";
import { ecrRepositoryUrl } from "../../constructs/registry/image-repository";
import { loadEnvironments, SHIPPED_ENVIRONMENTS } from "../../environments";
import { airflowImageFor } from "../../configuration/derived/airflow-image";
import { airflowValuesFor } from "../../configuration/derived/airflow-values";
import { shippedWith } from "../support/environments";
import { tempDir } from "../support/temp";

// The Airflow image the platform builds: what goes in is code (a recipe and the Dockerfile it
// prints), the tag is derived from it, and the chart values of every environment follow.

const recipe = PLATFORM_AIRFLOW_IMAGE;
const dockerfile = airflowImageDockerfile(recipe);
const environments = loadEnvironments(undefined);
const imagesOf = (values: Record<string, unknown>) => values.images as Record<string, Record<string, string>>;

/** The Dockerfile's RUN instruction as the shell gets it (Docker drops each backslash-newline). */
function runInstruction(text: string): string {
  const lines = text.split("\n");
  const start = lines.findIndex((l) => l.startsWith("RUN "));
  const run: string[] = [];
  for (const line of lines.slice(start)) {
    run.push(line.replace(/\\$/, ""));
    if (!line.endsWith("\\")) break;
  }
  return run.join("").replace(/^RUN /, "");
}

function buffers(): CommandIo & { out: () => string; err: () => string } {
  let out = "";
  let err = "";
  return { stdout: (t) => (out += t), stderr: (t) => (err += t), out: () => out, err: () => err };
}

describe("the platform's Airflow image", () => {
  it("starts FROM the official image of the chart's Airflow version and installs python/airflow.in's pins: Airflow and the platform's providers", () => {
    const from = dockerfile.split("\n").filter((l) => l.startsWith("FROM "));
    assert.deepEqual(from, [`FROM apache/airflow:${AIRFLOW_CHART.airflowVersion}-python3.12`]);
    const pip = dockerfile.split("\n").find((l) => l.includes("pip install"));
    assert.ok(pip);
    const requirements = [...pip.matchAll(/"([^"]+)"/g)].map((m) => m[1]);
    assert.deepEqual(requirements, recipe.requirements);
    const names = requirements.map((r) => r.split("==")[0].replace(/\[.*\]/, ""));
    for (const provider of ["cncf-kubernetes", "fab", "postgres", "standard", "datadog"]) assert.ok(names.includes(`apache-airflow-providers-${provider}`), provider);
    assert.ok(requirements.includes(`apache-airflow[statsd]==${AIRFLOW_CHART.airflowVersion}`), "Airflow at the chart's version, with the statsd extra");
    assert.match(pip, /--constraint \/tmp\/constraints\.txt/);
    assert.doesNotMatch(dockerfile, /^(COPY|ADD) /m, "no build context: nothing copied in");
    const pinned = airflowImageDockerfile({ ...recipe, baseDigest: `sha256:${"a".repeat(64)}` });
    assert.match(pinned, new RegExp(`^FROM apache/airflow:${AIRFLOW_CHART.airflowVersion}-python3\\.12@sha256:a{64}$`, "m"));
  });

  it("is tagged from what goes in: a new provider pin, Airflow version, Python or digest is a new tag", () => {
    const tag = airflowImageTag(recipe);
    const datadog = recipe.requirements.find((r) => r.startsWith("apache-airflow-providers-datadog=="))?.split("==")[1] ?? "";
    assert.match(tag, new RegExp(`^${AIRFLOW_CHART.airflowVersion.replaceAll(".", "\\.")}-datadog-${datadog.replaceAll(".", "\\.")}-[0-9a-f]{12}$`));
    assert.match(tag, /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, "a valid Docker tag");
    assert.equal(airflowImageTag({ ...recipe }), tag, "the same recipe, the same tag");
    const changed: AirflowImageRecipe[] = [
      { ...recipe, requirements: recipe.requirements.map((r) => (r.startsWith("apache-airflow-providers-datadog==") ? "apache-airflow-providers-datadog==3.11.0" : r)) },
      { ...recipe, airflowVersion: "3.1.9" },
      { ...recipe, pythonVersion: "3.11" },
      { ...recipe, baseDigest: `sha256:${"b".repeat(64)}` },
      { ...recipe, lockedVersions: recipe.lockedVersions.map((l) => (l.startsWith("kubernetes==") ? "kubernetes==36.0.2" : l)) },
    ];
    const tags = changed.map(airflowImageTag);
    assert.equal(new Set([tag, ...tags]).size, 6, tags.join(" "));
    assert.ok(tags[0].startsWith(`${AIRFLOW_CHART.airflowVersion}-datadog-3.11.0-`), tags[0]);
    assert.ok(tags[1].startsWith("3.1.9-datadog-"), tags[1]);
  });

  it("is what every shipped environment's chart values run, from that environment's own ECR repository", () => {
    const tag = airflowImageTag(recipe);
    for (const config of environments) {
      const values = airflowValuesFor(config);
      const expected = `${config.account.id}.dkr.ecr.${config.account.region}.amazonaws.com/${config.resourcePrefix}/airflow`;
      assert.deepEqual(imagesOf(values).airflow, { repository: expected, tag }, config.name);
      // The task pod template names the same image (the executor sets it from images.airflow).
      assert.match(String(values.podTemplate), new RegExp(`image: ${expected.replaceAll(".", "\\.")}:${tag}\\n`));
      assert.equal(values.defaultAirflowTag, undefined, "the chart's default tag stays unread");
    }
  });

  it("forms ECR URLs for every partition", () => {
    assert.equal(ecrRepositoryUrl({ accountId: "123456789012", region: "cn-north-1", partition: "aws-cn" }, "p/airflow"), "123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/p/airflow");
    assert.equal(ecrRepositoryUrl({ accountId: "123456789012", region: "us-gov-west-1", partition: "aws-us-gov" }, "p/airflow"), "123456789012.dkr.ecr.us-gov-west-1.amazonaws.com/p/airflow");
  });

  it("gives way to a team's prebuilt image, named as given", () => {
    const [config] = loadEnvironments("dev", { dev: shippedWith("dev", { airflow: { image: { source: "prebuilt", repository: "registry.example.com/data/airflow", tag: "3.1.8-team-7" } } }) });
    assert.deepEqual(imagesOf(airflowValuesFor(config)).airflow, { repository: "registry.example.com/data/airflow", tag: "3.1.8-team-7" });
    assert.equal(airflowImageFor(config).dockerfile, undefined);
  });

  it("installs under the lock's versions and the base image's constraints for the rest, and fails the build if a pin moved (RUN run by bash, pip stood in, the check by real Python)", () => {
    const dir = tempDir("airflow-image-run");
    const home = join(dir, "home");
    const bin = join(dir, "bin");
    const site = join(dir, "site");
    const scratch = join(dir, "tmp");
    for (const d of [home, bin, site, join(site, "datadog"), scratch]) mkdirSync(d, { recursive: true });
    // Base constraints: two packages the lock pins too (one spelt with an underscore), one it does not.
    writeFileSync(join(home, "constraints.txt"), "# comment\napache_airflow_providers_common_compat==1.13.0\nkubernetes==31.0.0\napache-airflow-providers-amazon==9.2.0\n");
    // pip records its arguments and the constraints it was given.
    writeFileSync(join(bin, "pip"), `#!/bin/bash\nprintf '%s\\n' "$@" > "${dir}/pip-args"\nprev=; for a in "$@"; do [ "$prev" = --constraint ] && cp "$a" "${dir}/pip-constraints"; prev="$a"; done\n`, { mode: 0o755 });
    symlinkSync("/usr/bin/python3", join(bin, "python"));
    // What the installed packages would look like to importlib.metadata and the import.
    const installed = (airflow: string) => {
      const pins = recipe.requirements.map((r) => [r.split("==")[0].replace(/\[.*\]/, "").replaceAll("-", "_"), r.split("==")[1]]);
      for (const [name, version] of pins.map(([n, v]) => [n, n === "apache_airflow" ? airflow : v])) {
        const info = join(site, `${name}-${version}.dist-info`);
        mkdirSync(info, { recursive: true });
        writeFileSync(join(info, "METADATA"), `Metadata-Version: 2.1\nName: ${name.replaceAll("_", "-")}\nVersion: ${version}\n`);
      }
      writeFileSync(join(site, "datadog", "__init__.py"), "class DogStatsd:\n    pass\n");
    };
    // The RUN line writes to /tmp; here it writes to this test's own directory.
    const script = runInstruction(dockerfile).replaceAll("/tmp/", `${scratch}/`);
    const run = () => spawnSync("bash", ["-ec", script], { encoding: "utf8", env: { PATH: `${bin}:/usr/bin:/bin`, HOME: home, PYTHONPATH: site, PYTHONNOUSERSITE: "1" } });

    installed(AIRFLOW_CHART.airflowVersion);
    const ok = run();
    assert.equal(ok.status, 0, ok.stderr);
    const args = readFileSync(join(dir, "pip-args"), "utf8").trim().split("\n");
    assert.deepEqual(args, ["install", "--no-cache-dir", ...recipe.requirements, "--constraint", `${scratch}/constraints.txt`]);
    assert.deepEqual(readFileSync(join(dir, "pip-constraints"), "utf8").trim().split("\n"), ["apache-airflow-providers-amazon==9.2.0", ...recipe.lockedVersions]);
    assert.equal(existsSync(join(scratch, "constraints.txt")), false, "the filtered constraints are removed");

    // Had pip moved Airflow (here: metadata saying 3.1.7), the check fails the build.
    installed("3.1.7");
    spawnSync("rm", ["-rf", join(site, `apache_airflow-${AIRFLOW_CHART.airflowVersion}.dist-info`)]);
    const moved = run();
    assert.notEqual(moved.status, 0);
    assert.match(moved.stderr, /AssertionError: \('apache-airflow', '3\.1\.7'\)/);
  });
});

describe("npm run airflow-image (the command the pipeline's image job calls)", () => {
  it("prints the Dockerfile, tag, repository, reference and source of an environment", async () => {
    const prod = environments.find((e) => e.name === "prod");
    assert.ok(prod);
    const image = airflowImageFor(prod);
    const print = async (what: string) => {
      const io = buffers();
      assert.equal(await runCli(["airflow-image", what, "prod"], { environments: SHIPPED_ENVIRONMENTS, io }), 0, io.err());
      return io.out();
    };
    assert.equal(await print("dockerfile"), dockerfile);
    assert.equal(await print("tag"), `${image.tag}\n`);
    assert.equal(await print("repository"), `${image.repository}\n`);
    assert.equal(await print("reference"), `${image.repository}:${image.tag}\n`);
    assert.equal(await print("source"), "platform\n");
  });

  it("has no Dockerfile for a prebuilt image (exit 1), and refuses usage errors (exit 2)", async () => {
    const prebuilt = { dev: shippedWith("dev", { airflow: { image: { source: "prebuilt", repository: "registry.example.com/data/airflow", tag: "3.1.8-team-7" } } }) };
    const io = buffers();
    assert.equal(await runCli(["airflow-image", "dockerfile", "dev"], { environments: prebuilt, io }), 1);
    assert.match(io.err(), /dev runs a prebuilt Airflow image \(registry\.example\.com\/data\/airflow:3\.1\.8-team-7, airflow\.image\)/);
    for (const argv of [["airflow-image", "tag"], ["airflow-image", "digest", "dev"], ["airflow-image", "tag", "dev", "prod"]]) {
      assert.equal(await runCli(argv, { environments: SHIPPED_ENVIRONMENTS, io: buffers() }), 2, argv.join(" "));
    }
  });
});

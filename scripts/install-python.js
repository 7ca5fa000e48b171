// Installs the Python tools the tests run, one virtual environment per lock in python/: Airflow
// (python/airflow.lock) and the checkers (python/tools.lock: checkov, kubernetes-validate). Each
// lock pins every package with its hashes (`npm run lock-python` makes them from the .in files);
// pip installs it with --require-hashes and --no-deps, so nothing outside the lock gets in.
// A venv lives in node_modules/.cache/airflow-platform/venvs/<name> and is reused while the
// SHA-256 of its lock is the one stamped in it; a changed lock rebuilds it.
// `node scripts/install-python.js [name ...]` installs those only (all by default).
"use strict";
const { execFileSync } = require("node:child_process");
const { createHash } = require("node:crypto");
const { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } = require("node:fs");
const { join } = require("node:path");

const ROOT = join(__dirname, "..");
const LOCKS = join(ROOT, "python");
const VENVS = join(ROOT, "node_modules", ".cache", "airflow-platform", "venvs");
const STAMP = ".lock-sha256";
// The locks are resolved for this Python minor (the machine's python3); see python/README.md.
const PYTHON_MINOR = "3.11";

function python() {
  for (const candidate of [`python${PYTHON_MINOR}`, "python3"]) {
    try {
      const version = execFileSync(candidate, ["-c", "import sys; print('%d.%d' % sys.version_info[:2])"], { encoding: "utf8" }).trim();
      if (version === PYTHON_MINOR) return candidate;
    } catch {
      // not on the PATH: try the next name
    }
  }
  throw new Error(`install-python: the locks in python/ are resolved for Python ${PYTHON_MINOR}, and no python${PYTHON_MINOR} or python3 of that version is on the PATH (install it, e.g. apt-get install python3 python3-venv on Debian 12)`);
}

function lockDigest(lock) {
  return createHash("sha256").update(readFileSync(lock)).digest("hex");
}

function install(name) {
  const lock = join(LOCKS, `${name}.lock`);
  if (!existsSync(lock)) throw new Error(`install-python: no lock ${lock} (known: ${names().join(", ")})`);
  const venv = join(VENVS, name);
  const stamp = join(venv, STAMP);
  const digest = lockDigest(lock);
  if (existsSync(stamp) && readFileSync(stamp, "utf8").trim() === digest) {
    console.log(`python venv ${name} up to date at ${venv}`);
    return;
  }
  rmSync(venv, { recursive: true, force: true });
  const started = Date.now();
  execFileSync(python(), ["-m", "venv", venv], { stdio: "inherit" });
  // The machine's pip configuration (extra indexes, local wheel folders, a global constraint file)
  // is left out: the lock alone says what is installed, from the default index.
  const env = { ...process.env, PIP_CONFIG_FILE: "/dev/null", PIP_FIND_LINKS: "", PIP_CONSTRAINT: "", PIP_DISABLE_PIP_VERSION_CHECK: "1" };
  execFileSync(join(venv, "bin", "pip"), ["install", "--quiet", "--require-hashes", "--no-deps", "-r", lock], { stdio: "inherit", env });
  writeFileSync(stamp, `${digest}\n`);
  console.log(`python venv ${name} installed at ${venv} in ${Math.round((Date.now() - started) / 1000)} s`);
}

function names() {
  return readdirSync(LOCKS).filter((file) => file.endsWith(".lock")).map((file) => file.slice(0, -".lock".length)).sort();
}

const wanted = process.argv.slice(2);
for (const name of wanted.length > 0 ? wanted : names()) install(name);

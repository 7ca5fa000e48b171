// Runs a TypeScript entry point (main.ts unless one is named) as one esbuild bundle, esbuild being
// what tsx already brings. This is the app cdktf runs (cdktf.json) and what `npm run synth` runs.
// Measured on the project's 2-core machine, for the three shipped environments:
// - tsx's loader hooks cost ~0.8 s on every synth; a bundle costs ~0.8 s to build and nothing while
//   neither the sources nor node_modules change, so it is rebuilt only then.
// - Bundling cdktf and the provider classes with our code saves resolving and reading ~500 module
//   files (~0.2 s). ajv stays outside: the chart-schema validator is cached as standalone code that
//   requires ajv's runtime from node_modules.
// - cdktf requires archiver (~0.13 s) at load, only to zip assets, which no stack here has: the
//   bundle loads it when first called instead.
// - cdktf captures a full stack trace for every token it creates (~0.25 s), kept only to name
//   where a token was made when it fails to resolve. The bundle records none; the output is the
//   same (test/synth/main.test.ts compares it with the tsx route). For those traces, or for stack
//   traces into the TypeScript sources, run `npx tsx main.ts` instead.
// - V8 may decide, from when its first young-generation collections happen, to allocate the
//   short-lived contexts cdktf creates while resolving tokens straight into the old generation
//   (allocation-site pretenuring). It did so in most runs of 30 environments once the rest got
//   faster: synth 3.0 s and 225 MiB instead of 1.4 s and 123 MiB. The flag is off for this process.
"use strict";
require("node:v8").setFlagsFromString("--no-allocation-site-pretenuring");
const { existsSync, mkdirSync, readdirSync, renameSync, statSync, writeFileSync } = require("node:fs");
const { basename, join, resolve } = require("node:path");

const root = join(__dirname, "..");
const entry = resolve(root, process.argv[2] ?? "main.ts");
const outfile = join(root, "node_modules", ".cache", "airflow-platform", `${basename(entry, ".ts")}.js`);
// Every folder of the product (docs/architecture.md), so a change anywhere rebuilds the bundle.
const SOURCES = ["main.ts", "index.ts", "lib", "sizing", "constructs", "configuration", "environments", "stacks", "tools", "cli", "scripts", "test/support"];
// npm rewrites this file on every install, so a changed dependency rebuilds the bundle too.
const INSTALLED = join(root, "node_modules", ".package-lock.json");

function newestSource(path) {
  if (!existsSync(path)) return 0;
  const stats = statSync(path);
  if (!stats.isDirectory()) return /\.[jt]s$/.test(path) ? stats.mtimeMs : 0;
  return readdirSync(path).reduce((newest, name) => Math.max(newest, newestSource(join(path, name))), 0);
}

/** archiver, required when cdktf first zips an asset rather than when cdktf loads. */
const lazyArchiver = {
  name: "lazy-archiver",
  setup(build) {
    build.onResolve({ filter: /^archiver$/ }, (args) =>
      args.namespace === "lazy" ? { path: args.path, external: true } : { path: "archiver", namespace: "lazy" },
    );
    build.onLoad({ filter: /.*/, namespace: "lazy" }, () => ({
      contents: 'module.exports = (...args) => require("archiver")(...args);',
      resolveDir: join(root, "node_modules", "cdktf"),
    }));
  },
};

/** cdktf's token creation traces, replaced by an empty one (see the note at the top). */
const noTokenTraces = {
  name: "no-token-traces",
  setup(build) {
    build.onLoad({ filter: /[\\/]cdktf[\\/]lib[\\/]tokens[\\/]private[\\/]stack-trace\.js$/ }, () => ({
      contents: "exports.captureStackTrace = () => [];",
      loader: "js",
    }));
  },
};

async function buildBundle() {
  const result = await require("esbuild").build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    external: ["ajv", "ajv/*"],
    plugins: [lazyArchiver, noTokenTraces],
    platform: "node",
    format: "cjs",
    target: "node20",
    logLevel: "warning",
    write: false,
  });
  // Written aside and renamed, so a concurrent run never reads half a bundle.
  mkdirSync(join(outfile, ".."), { recursive: true });
  const partial = `${outfile}.${process.pid}.tmp`;
  writeFileSync(partial, result.outputFiles[0].contents);
  renameSync(partial, outfile);
}

async function main() {
  const built = existsSync(outfile) ? statSync(outfile).mtimeMs : 0;
  const newest = Math.max(...SOURCES.map((source) => newestSource(join(root, source))), newestSource(INSTALLED));
  // esbuild's plugins need its asynchronous API.
  if (newest > built) await buildBundle();
  require(outfile);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

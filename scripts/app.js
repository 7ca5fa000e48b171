// Runs a TypeScript entry point (main.ts unless one is named) bundled by esbuild, which tsx
// already brings, with every package kept external. This is the app cdktf runs (cdktf.json) and
// what `npm run synth` runs: tsx's loader hooks cost ~0.8 s on every synth, a bundle ~0.14 s to
// build and nothing while the sources are unchanged, so it is rebuilt only when a .ts file is
// newer. For a stack trace into the TypeScript sources, run `npx tsx main.ts` instead.
"use strict";
const { existsSync, mkdirSync, readdirSync, renameSync, statSync, writeFileSync } = require("node:fs");
const { basename, join, resolve } = require("node:path");

const root = join(__dirname, "..");
const entry = resolve(root, process.argv[2] ?? "main.ts");
const outfile = join(root, "node_modules", ".cache", "airflow-platform", `${basename(entry, ".ts")}.js`);
const SOURCES = ["main.ts", "index.ts", "constructs", "stacks", "environments", "policies", "scripts", "test/support"];

function newestSource(path) {
  if (!existsSync(path)) return 0;
  const stats = statSync(path);
  if (!stats.isDirectory()) return path.endsWith(".ts") ? stats.mtimeMs : 0;
  return readdirSync(path).reduce((newest, name) => Math.max(newest, newestSource(join(path, name))), 0);
}

const stale = !existsSync(outfile) || SOURCES.some((source) => newestSource(join(root, source)) > statSync(outfile).mtimeMs);
if (stale) {
  const [bundle] = require("esbuild").buildSync({
    entryPoints: [entry],
    outfile,
    bundle: true,
    packages: "external",
    platform: "node",
    format: "cjs",
    target: "node20",
    logLevel: "warning",
    write: false,
  }).outputFiles;
  // Written aside and renamed, so a concurrent run never reads half a bundle.
  mkdirSync(join(outfile, ".."), { recursive: true });
  const partial = `${outfile}.${process.pid}.tmp`;
  writeFileSync(partial, bundle.contents);
  renameSync(partial, outfile);
}
require(outfile);

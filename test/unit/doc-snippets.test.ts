import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import ts from "typescript";
import { validateEnvironment } from "../../environments";
import { synthesizeEnvironments } from "../../tools/synth/synthesize";
import { docSnippets } from "../support/doc-snippets";
import { projectRoot } from "../support/docs";
import { tempDir } from "../support/temp";

// Every TypeScript block in README.md and docs/ compiles as a user would paste it; an environment
// file validates and synthesizes; an app runs and writes its stacks.

const snippets = docSnippets();
const dir = tempDir("doc-snippets");
// Bare imports (cdktf, constructs) resolve from the snippet's folder, as in a user's project.
symlinkSync(join(projectRoot, "node_modules"), join(dir, "node_modules"));
const files = snippets.map((snippet, i) => {
  const file = join(dir, `snippet-${i}-${snippet.kind}.ts`);
  writeFileSync(file, snippet.module);
  return file;
});

describe("the docs' code a user copies", () => {
  it("includes both templates: an environment file and the library app", () => {
    assert.ok(snippets.some((s) => s.kind === "environment"), "an environment file (Adding an environment)");
    assert.ok(snippets.some((s) => s.kind === "app"), "an app (Using the constructs)");
  });

  it("compiles, strict, every block where it stands", () => {
    const config = ts.readConfigFile(join(projectRoot, "tsconfig.json"), (path) => ts.sys.readFile(path));
    const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, projectRoot);
    const program = ts.createProgram(files, { ...options, rootDir: undefined, noEmit: true, noUnusedLocals: false });
    const problems = files.flatMap((file, i) =>
      ts.getPreEmitDiagnostics(program, program.getSourceFile(file)).map((d) => `${snippets[i].where}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`),
    );
    assert.deepEqual(problems, []);
  });

  for (const [i, snippet] of snippets.entries()) {
    if (snippet.kind === "environment") {
      it(`${snippet.where}: the environment file validates with no problem and synthesizes`, async () => {
        const exported = (await import(files[i])) as Record<string, unknown>;
        const environments = Object.values(exported);
        assert.equal(environments.length, 1, "one environment exported");
        const result = validateEnvironment(environments[0]);
        assert.ok(result.ok, JSON.stringify(result));
        const outdir = join(dir, `out-${i}`);
        synthesizeEnvironments(environments, outdir);
        assert.ok(existsSync(join(outdir, "stacks", `${result.config.name}-platform`, "cdk.tf.json")));
      });
    }
    if (snippet.kind === "app") {
      it(`${snippet.where}: the app runs and writes its three stacks`, () => {
        const outdir = join(dir, `app-${i}`);
        const run = spawnSync(process.execPath, ["--import", "tsx", files[i]], { cwd: dir, encoding: "utf8", env: { ...process.env, CDKTF_OUTDIR: outdir } });
        assert.equal(run.status, 0, run.stderr);
        const stacks = readFileSync(join(outdir, "manifest.json"), "utf8");
        for (const layer of ["infrastructure", "platform", "observability"]) assert.match(stacks, new RegExp(`"[a-z0-9-]+-${layer}"`), layer);
      });
    }
  }

  it("shows examples/consumer/main.ts as it is, the app the package ships", () => {
    const main = readFileSync(join(projectRoot, "examples", "consumer", "main.ts"), "utf8");
    assert.ok(snippets.some((s) => s.kind === "app" && s.text === main), "a docs block equal to examples/consumer/main.ts");
    const manifest = JSON.parse(readFileSync(join(projectRoot, "package.json"), "utf8")) as { files: string[] };
    assert.ok(manifest.files.some((f) => f.startsWith("examples/consumer")), "package.json files ships examples/consumer");
  });
});

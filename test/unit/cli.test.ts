import assert from "node:assert/strict";
import { existsSync, readdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, it } from "node:test";
import { runCli } from "../../cli/main";
import type { CommandIo } from "../../tools/common/command-io";
import { SHIPPED_ENVIRONMENTS } from "../../environments";
import { shippedWith } from "../support/environments";
import { tempDir } from "../support/temp";

function buffers(): CommandIo & { out: () => string; err: () => string } {
  let out = "";
  let err = "";
  return { stdout: (t) => (out += t), stderr: (t) => (err += t), out: () => out, err: () => err };
}

describe("the airflow-platform command", () => {
  it("says how to use it, and refuses an unknown command with exit 2", async () => {
    const help = buffers();
    assert.equal(await runCli(["--help"], { io: help }), 0);
    for (const command of ["synth", "policy", "capacity", "promote-check", "--environments"]) assert.ok(help.out().includes(command), command);
    const wrong = buffers();
    assert.equal(await runCli(["synthesize"], { io: wrong }), 2);
    assert.match(wrong.err(), /unknown command "synthesize"/);
  });

  it("synthesizes a project's own environments module, one line per stack with its resources and the time", async () => {
    const dir = tempDir("cli-env");
    const library = resolve(__dirname, "../../configuration/schema/merge");
    const shipped = resolve(__dirname, "../../environments");
    writeFileSync(
      join(dir, "environments.ts"),
      `import { mergeEnvironment } from ${JSON.stringify(library)};\nimport { SHIPPED_ENVIRONMENTS } from ${JSON.stringify(shipped)};\n` +
        `export const environments = { sandbox: mergeEnvironment(SHIPPED_ENVIRONMENTS.dev as never, { name: "sandbox", network: { vpcCidr: "10.60.0.0/16" } }) };\n`,
    );
    const outdir = join(dir, "cdktf.out");
    const io = buffers();
    assert.equal(await runCli(["synth", "--environments", join(dir, "environments.ts"), "--out", outdir], { io }), 0, io.err());
    // The sandbox's three stacks and its account's bootstrap stack (the pipeline's OIDC roles).
    assert.deepEqual(readdirSync(join(outdir, "stacks")).sort(), ["bootstrap-111111111111", "sandbox-infrastructure", "sandbox-observability", "sandbox-platform"]);
    assert.match(io.out(), /^ {2}sandbox-infrastructure\s+\d+ resources {2}\S*stacks\/sandbox-infrastructure$/m);
    assert.match(io.out(), /^Synthesized 4 stacks in \d+\.\d\d s$/m);
  });

  it("prints a configuration error once, every problem, no stack trace, exit 1, nothing written", async () => {
    const outdir = join(tempDir("cli-bad"), "cdktf.out");
    const io = buffers();
    const bad = { broken: shippedWith("dev", { name: "broken", nodeGroups: { tasks: { minSize: 9 } }, database: { backupRetentionDays: 0 } }) };
    assert.equal(await runCli(["synth", "--out", outdir], { environments: bad, io }), 1);
    assert.equal(io.err().match(/Invalid environment configuration/g)?.length, 1);
    assert.match(io.err(), /3 problems/);
    assert.doesNotMatch(io.err(), /\n\s+at /);
    assert.equal(existsSync(outdir), false);
  });

  it("runs capacity and promote-check on the environments it is given", async () => {
    const capacity = buffers();
    assert.equal(await runCli(["capacity", "prod"], { environments: SHIPPED_ENVIRONMENTS, io: capacity }), 0);
    assert.match(capacity.out(), /Capacity of prod\n.*default pods\/node.*Nightly run of high_priorities/s);
    const promote = buffers();
    assert.equal(await runCli(["promote-check", "staging", "prod"], { environments: SHIPPED_ENVIRONMENTS, io: promote }), 0);
    assert.match(promote.out(), /Promotion staging → prod: \d+ differences, 0 not allowed/);
    const usage = buffers();
    assert.equal(await runCli(["promote-check", "staging"], { environments: SHIPPED_ENVIRONMENTS, io: usage }), 2);
  });

  it("names a missing environments module and where it looked", async () => {
    const io = buffers();
    assert.equal(await runCli(["capacity", "x", "--environments", "no/such/module.ts"], { io }), 1);
    assert.match(io.err(), /--environments: given no\/such\/module\.ts; a module exporting `environments`/);
  });
});

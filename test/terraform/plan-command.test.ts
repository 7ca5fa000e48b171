import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { runCli } from "../../cli/main";
import { synthesizeEnvironments } from "../../tools/synth/synthesize";
import { shippedWith } from "../support/environments";
import { tempDir } from "../support/temp";

// `airflow-platform plan <env>`: real Terraform, offline, against the provider mirror, printing
// the plan a reviewer reads. An environment of the test's own, not a shipped example.

const sandbox = shippedWith("dev", { name: "sandbox", network: { vpcCidr: "10.70.0.0/16" } });

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { stdout: (s: string) => void out.push(s), stderr: (s: string) => void err.push(s) }, out: () => out.join(""), err: () => err.join("") };
}

describe("airflow-platform plan", () => {
  it("prints the offline plan of the infrastructure stack: every resource the stack declares, to add", async () => {
    const run = capture();
    assert.equal(await runCli(["plan", "sandbox"], { environments: { sandbox }, io: run.io }), 0, run.err());
    const printed = run.out();
    assert.match(printed, /^Offline plan of sandbox-infrastructure/);
    assert.match(printed, /# aws_eks_cluster\.[\w-]+ will be created/);
    // As many resources as the synthesized stack declares (Terraform's count, not ours).
    const outdir = tempDir("plan-count");
    synthesizeEnvironments([sandbox], outdir);
    const stack = JSON.parse(readFileSync(join(outdir, "stacks", "sandbox-infrastructure", "cdk.tf.json"), "utf8")) as { resource: Record<string, Record<string, { count?: number }>> };
    const declared = Object.values(stack.resource).reduce((n, byName) => n + Object.keys(byName).length, 0);
    const [, adds] = /Plan: (\d+) to add, 0 to change, 0 to destroy\./.exec(printed) ?? [];
    assert.ok(Number(adds) >= declared, `${adds} to add for ${declared} declared resources`);
  });

  it("refuses an offline plan of a stack that reads the cluster or Datadog, and explains usage", async () => {
    const platform = capture();
    assert.equal(await runCli(["plan", "sandbox", "platform"], { environments: { sandbox }, io: platform.io }), 1);
    assert.match(platform.err(), /--real with credentials/);
    for (const argv of [["plan"], ["plan", "sandbox", "network"], ["plan", "sandbox", "infrastructure", "extra"]]) {
      const usage = capture();
      assert.equal(await runCli(argv, { environments: { sandbox }, io: usage.io }), 2, argv.join(" "));
      assert.match(usage.err(), /usage: plan <env>/);
    }
  });
});

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, it } from "node:test";
import { parse } from "yaml";

interface Step {
  readonly uses?: string;
  readonly run?: string;
  readonly with?: Record<string, unknown>;
}
interface Job {
  readonly if?: string;
  readonly needs?: string | string[];
  readonly environment?: string;
  readonly env?: Record<string, string>;
  readonly strategy?: { matrix: Record<string, string[]> };
  readonly steps: Step[];
}
interface Workflow {
  readonly on: { pull_request?: unknown; push?: { branches: string[] }; schedule?: unknown };
  readonly permissions: Record<string, string>;
  readonly jobs: Record<string, Job>;
}

const workflow = parse(readFileSync(resolve(__dirname, "../../.github/workflows/platform.yml"), "utf8")) as Workflow;
const runs = (job: Job) => job.steps.flatMap((s) => (s.run ? [s.run] : []));
const needs = (job: Job) => [job.needs ?? []].flat();

describe("the GitHub Actions pipeline", () => {
  it("runs on pull requests and on pushes to main only, with OIDC and read-only contents", () => {
    assert.ok("pull_request" in workflow.on);
    assert.deepEqual(workflow.on.push?.branches, ["main"]);
    // Nothing needs a schedule: no password that anything running uses rotates on a timer.
    assert.deepEqual(Object.keys(workflow.on).sort(), ["pull_request", "push"]);
    assert.equal(workflow.permissions["id-token"], "write");
    assert.equal(workflow.permissions.contents, "read");
  });

  it("tests, then synthesizes once and shares the result as one artifact", () => {
    assert.ok(runs(workflow.jobs.test).includes("npm test"));
    assert.deepEqual(needs(workflow.jobs.synth), ["test"]);
    const upload = workflow.jobs.synth.steps.find((s) => s.uses?.startsWith("actions/upload-artifact"));
    assert.equal(upload?.with?.name, "cdktf-out");
  });

  it("diffs every stack of every environment on a pull request", () => {
    const diff = workflow.jobs.diff;
    assert.match(String(diff.if), /pull_request/);
    assert.deepEqual(diff.strategy?.matrix.environment, ["dev", "staging", "prod"]);
    for (const layer of ["infrastructure", "platform", "observability"]) {
      assert.ok(runs(diff).some((r) => r.includes(`cdktf diff \${{ matrix.environment }}-${layer} --skip-synth`)), layer);
    }
  });

  it("deploys dev, then staging, then prod, each in its GitHub environment, layer by layer", () => {
    const order = [["deploy-dev", "dev", "synth"], ["deploy-staging", "staging", "deploy-dev"], ["deploy-prod", "prod", "deploy-staging"]] as const;
    for (const [name, environment, after] of order) {
      const job = workflow.jobs[name];
      assert.ok(job, name);
      assert.equal(job.environment, environment);
      assert.deepEqual(needs(job), [after]);
      const deploys = runs(job).filter((r) => r.includes("cdktf deploy"));
      assert.deepEqual(deploys.map((r) => r.split(" ")[3]), [`${environment}-infrastructure`, `${environment}-platform`, `${environment}-observability`]);
      assert.ok(deploys.every((r) => r.includes("--skip-synth")), "deploys the synthesized artifact, not a new synth");
      assert.ok(job.steps.some((s) => s.uses?.startsWith("actions/download-artifact") && s.with?.name === "cdktf-out"));
    }
    assert.match(String(workflow.jobs["deploy-dev"].if), /push/);
    assert.ok(runs(workflow.jobs["deploy-prod"]).includes("npm run promote:check -- staging prod"));
  });

  it("assumes AWS roles through OIDC and takes Datadog keys from secrets, storing no keys", () => {
    for (const [name, job] of Object.entries(workflow.jobs).filter(([n]) => n.startsWith("deploy-") || n === "diff")) {
      const aws = job.steps.find((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials"));
      assert.ok(aws?.with?.["role-to-assume"], name);
      assert.equal(aws.with["aws-access-key-id"], undefined);
      assert.match(String(job.env?.TF_VAR_datadog_api_key), /^\$\{\{ secrets\./);
    }
    assert.doesNotMatch(readFileSync(resolve(__dirname, "../../.github/workflows/platform.yml"), "utf8"), /AKIA|aws-secret-access-key/);
  });
});

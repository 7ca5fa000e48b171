import { awsCredentials, CHECKOUT, DATADOG_KEYS_ENV, DOWNLOAD_SYNTH, inVpcRunner, run, SETUP_NODE, SETUP_TERRAFORM } from "./steps";

// The jobs every run has (test, synth) and the pull request's own (the image build check and the
// diffs). One function per job, so a change to one job stays in one place.

export function testJob(): string {
  return [
    "  test:\n    runs-on: ubuntu-latest\n    steps:\n",
    CHECKOUT,
    SETUP_NODE,
    SETUP_TERRAFORM,
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
    CHECKOUT,
    SETUP_NODE,
    run("npm ci"),
    run("npm run synth"),
    "      - uses: actions/upload-artifact@v4\n        with:\n          name: cdktf-out\n          path: cdktf.out\n          retention-days: 14\n",
  ].join("");
}

/** Builds the Dockerfile the code prints for `environment` without pushing it. */
export function buildAirflowImageJob(environment: string): string {
  return [
    "  build-airflow-image:\n",
    "    # Airflow's image builds from the Dockerfile the code prints (the same for every environment\n",
    "    # the platform builds for), so a broken pin fails the pull request, not the deploy. Nothing is pushed.\n",
    "    if: github.event_name == 'pull_request'\n    needs: test\n    runs-on: ubuntu-latest\n    steps:\n",
    CHECKOUT,
    SETUP_NODE,
    run("npm ci"),
    run(`npm run --silent airflow-image -- dockerfile ${environment} | docker build --pull --tag "airflow:$(npm run --silent airflow-image -- tag ${environment})" -`),
  ].join("");
}

function matrix(environments: readonly string[]): string {
  return `    strategy:\n      fail-fast: false\n      matrix:\n        environment: [${environments.join(", ")}]\n    environment: \${{ matrix.environment }}-plan\n`;
}

/** Infrastructure and observability diffs: AWS and Datadog APIs only, on GitHub's runners. */
export function diffJob(environments: readonly string[]): string {
  return [
    "  diff:\n    # AWS and Datadog APIs only: GitHub's runners.\n",
    "    if: github.event_name == 'pull_request'\n    needs: synth\n    runs-on: ubuntu-latest\n",
    matrix(environments),
    DATADOG_KEYS_ENV,
    "    steps:\n",
    CHECKOUT,
    SETUP_NODE,
    SETUP_TERRAFORM,
    run("npm ci"),
    DOWNLOAD_SYNTH,
    awsCredentials("AWS_PLAN_ROLE_ARN"),
    run("npx cdktf diff ${{ matrix.environment }}-infrastructure --skip-synth"),
    run("npx cdktf diff ${{ matrix.environment }}-observability --skip-synth"),
  ].join("");
}

/** The platform stack's diff reads the cluster: on each environment's runner in its VPC. */
export function diffPlatformJob(environments: readonly string[]): string {
  return [
    "  diff-platform:\n    # The Kubernetes and Helm providers read the cluster: the environment's runner in its VPC.\n",
    `    if: github.event_name == 'pull_request'\n    needs: synth\n    runs-on: ${inVpcRunner("${{ matrix.environment }}")}\n`,
    matrix(environments),
    "    steps:\n",
    CHECKOUT,
    SETUP_NODE,
    SETUP_TERRAFORM,
    run("npm ci"),
    DOWNLOAD_SYNTH,
    awsCredentials("AWS_PLAN_ROLE_ARN"),
    run("npx cdktf diff ${{ matrix.environment }}-platform --skip-synth"),
  ].join("");
}

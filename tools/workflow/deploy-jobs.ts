import { awsCredentials, checkout, DATADOG_KEYS_ENV, downloadSynth, inVpcRunner, OIDC_PERMISSIONS, run, setupNode, setupTerraform, synthesizedStackSteps } from "./steps";

// The jobs that deploy one environment on a push to main, infrastructure → Airflow's image →
// platform (and observability), each in the environment's GitHub environment; and the diff of an
// environment pull requests may not plan, from main before its deploy. One function per job.

/**
 * An environment pull requests may not plan (prod), diffed from main (reviewed code) in its
 * `<env>-plan` GitHub environment, whose plan role trusts only main; its deploy waits for it, so
 * its required reviewers read the diff before they approve.
 */
export function diffFromMainJob(environment: string): string {
  return [
    `  diff-${environment}:\n`,
    `    # ${environment}'s AWS and Datadog stacks, diffed from main (reviewed code) with ${environment}'s plan role, whose\n`,
    `    # trust admits only refs/heads/main; ${environment}'s required reviewers read this before they approve\n`,
    `    # deploy-${environment}-infrastructure.\n`,
    `    if: github.event_name == 'push'\n    needs: synth\n    runs-on: ubuntu-latest\n    environment: ${environment}-plan\n`,
    OIDC_PERMISSIONS,
    DATADOG_KEYS_ENV,
    "    steps:\n",
    synthesizedStackSteps("AWS_PLAN_ROLE_ARN"),
    run(`npx cdktf diff ${environment}-infrastructure --skip-synth`),
    run(`npx cdktf diff ${environment}-observability --skip-synth`),
  ].join("");
}

/**
 * AWS only, from outside the VPC. The first environment starts after synth; every later one after
 * the previous environment's platform deploy, and checks the promotion from it first. One diffed
 * from main (`diffedFromMain`) also waits for that diff.
 */
export function deployInfrastructureJob(environment: string, previous: string | undefined, diffedFromMain: boolean): string {
  const after = previous === undefined ? "synth" : `deploy-${previous}-platform`;
  return [
    `  deploy-${environment}-infrastructure:\n`,
    "    # AWS only, and it changes the network the runner sits in: from outside the VPC.\n",
    previous === undefined ? "    if: github.event_name == 'push'\n" : "",
    diffedFromMain ? `    needs: [${after}, diff-${environment}]\n` : `    needs: ${after}\n`,
    "    runs-on: ubuntu-latest\n",
    OIDC_PERMISSIONS,
    `    environment: ${environment}\n    concurrency: deploy-${environment}-infrastructure\n    steps:\n`,
    checkout(),
    setupNode(),
    setupTerraform(),
    run("npm ci"),
    previous === undefined ? "" : run(`npm run promote:check -- ${previous} ${environment}`),
    downloadSynth(),
    awsCredentials("AWS_DEPLOY_ROLE_ARN"),
    run(`npx cdktf deploy ${environment}-infrastructure --skip-synth --auto-approve`),
  ].join("");
}

/** Airflow's image into the environment's ECR unless its tag is there (scripts/publish-airflow-image.sh). */
export function publishAirflowImageJob(environment: string): string {
  return [
    `  publish-${environment}-airflow-image:\n`,
    `    # Airflow's image into ${environment}'s ECR unless its tag is there: AWS and Docker Hub only, GitHub's runner.\n`,
    `    needs: deploy-${environment}-infrastructure\n    runs-on: ubuntu-latest\n`,
    OIDC_PERMISSIONS,
    `    environment: ${environment}\n    concurrency: publish-${environment}-airflow-image\n    steps:\n`,
    checkout(),
    setupNode(),
    run("npm ci"),
    awsCredentials("AWS_DEPLOY_ROLE_ARN"),
    run(`scripts/publish-airflow-image.sh ${environment}`),
  ].join("");
}

/** The cluster's private API: the environment's runner; then the observability stack. */
export function deployPlatformJob(environment: string): string {
  return [
    `  deploy-${environment}-platform:\n`,
    `    # The cluster's private API: ${environment}'s runner, which deploy-${environment}-infrastructure keeps in its VPC;\n`,
    `    # after Airflow's image is in ${environment}'s ECR, as the chart values name it.\n`,
    `    needs: publish-${environment}-airflow-image\n    runs-on: ${inVpcRunner(environment)}\n`,
    OIDC_PERMISSIONS,
    `    environment: ${environment}\n    concurrency: deploy-${environment}-platform\n`,
    DATADOG_KEYS_ENV,
    "    steps:\n",
    synthesizedStackSteps("AWS_DEPLOY_ROLE_ARN"),
    run(`npx cdktf deploy ${environment}-platform --skip-synth --auto-approve --ignore-missing-stack-dependencies`),
    run(`npx cdktf deploy ${environment}-observability --skip-synth --auto-approve`),
  ].join("");
}

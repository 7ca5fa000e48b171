import { awsCredentials, CHECKOUT, DATADOG_KEYS_ENV, DOWNLOAD_SYNTH, inVpcRunner, run, SETUP_NODE, SETUP_TERRAFORM } from "./steps";

// The jobs that deploy one environment on a push to main, infrastructure → Airflow's image →
// platform (and observability), each in the environment's GitHub environment. One function per job.

/**
 * AWS only, from outside the VPC. The first environment starts after synth; every later one after
 * the previous environment's platform deploy, and checks the promotion from it first.
 */
export function deployInfrastructureJob(environment: string, previous: string | undefined): string {
  return [
    `  deploy-${environment}-infrastructure:\n`,
    "    # AWS only, and it changes the network the runner sits in: from outside the VPC.\n",
    previous === undefined ? "    if: github.event_name == 'push'\n    needs: synth\n" : `    needs: deploy-${previous}-platform\n`,
    `    runs-on: ubuntu-latest\n    environment: ${environment}\n    concurrency: deploy-${environment}-infrastructure\n    steps:\n`,
    CHECKOUT,
    SETUP_NODE,
    SETUP_TERRAFORM,
    run("npm ci"),
    previous === undefined ? "" : run(`npm run promote:check -- ${previous} ${environment}`),
    DOWNLOAD_SYNTH,
    awsCredentials("AWS_DEPLOY_ROLE_ARN"),
    run(`npx cdktf deploy ${environment}-infrastructure --skip-synth --auto-approve`),
  ].join("");
}

/** Airflow's image into the environment's ECR unless its tag is there (scripts/publish-airflow-image.sh). */
export function publishAirflowImageJob(environment: string): string {
  return [
    `  publish-${environment}-airflow-image:\n`,
    `    # Airflow's image into ${environment}'s ECR unless its tag is there: AWS and Docker Hub only, GitHub's runner.\n`,
    `    needs: deploy-${environment}-infrastructure\n    runs-on: ubuntu-latest\n    environment: ${environment}\n    concurrency: publish-${environment}-airflow-image\n    steps:\n`,
    CHECKOUT,
    SETUP_NODE,
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
    `    needs: publish-${environment}-airflow-image\n    runs-on: ${inVpcRunner(environment)}\n    environment: ${environment}\n    concurrency: deploy-${environment}-platform\n`,
    DATADOG_KEYS_ENV,
    "    steps:\n",
    CHECKOUT,
    SETUP_NODE,
    SETUP_TERRAFORM,
    run("npm ci"),
    DOWNLOAD_SYNTH,
    awsCredentials("AWS_DEPLOY_ROLE_ARN"),
    run(`npx cdktf deploy ${environment}-platform --skip-synth --auto-approve --ignore-missing-stack-dependencies`),
    run(`npx cdktf deploy ${environment}-observability --skip-synth --auto-approve`),
  ].join("");
}

import { usesPinned } from "./pinned-actions";

// The steps the pipeline's jobs share, as YAML text indented for a job's `steps:` list. Each
// returns whole lines ending in a newline, so a job is its header followed by its steps. Functions,
// not constants: the pins are read when a workflow is generated, not whenever the CLI loads.

export const checkout = (): string => usesPinned("actions/checkout");

export const setupNode = (): string => [usesPinned("actions/setup-node") + "        with:", "          node-version: 20", "          cache: npm", ""].join("\n");

export const setupTerraform = (): string => [
  usesPinned("hashicorp/setup-terraform") + "        with:",
  "          terraform_version: ${{ env.TERRAFORM_VERSION }}",
  "          terraform_wrapper: false",
  "",
].join("\n");

export const uploadSynth = (): string => [usesPinned("actions/upload-artifact") + "        with:", "          name: cdktf-out", "          path: cdktf.out", "          retention-days: 14", ""].join("\n");

export const downloadSynth = (): string => [usesPinned("actions/download-artifact") + "        with:", "          name: cdktf-out", "          path: cdktf.out", ""].join("\n");

/** The plan role (diffs) or the deploy role (main), assumed through GitHub's OIDC token. */
export function awsCredentials(role: "AWS_PLAN_ROLE_ARN" | "AWS_DEPLOY_ROLE_ARN"): string {
  return [
    usesPinned("aws-actions/configure-aws-credentials") + "        with:",
    `          role-to-assume: \${{ vars.${role} }}`,
    "          aws-region: ${{ vars.AWS_REGION }}",
    "",
  ].join("\n");
}

/**
 * A job's own permissions, for the jobs that assume an AWS role: the workflow grants only
 * `contents: read`, so no other job may ask GitHub for an OIDC token.
 */
export const OIDC_PERMISSIONS = ["    permissions:", "      contents: read", "      id-token: write", ""].join("\n");

export function run(command: string): string {
  return `      - run: ${command}\n`;
}

/**
 * The Datadog keys the observability stack's provider (and the agent's chart) read. Every job that
 * sets them runs in a GitHub environment, whose own secrets these are; repository secrets would
 * reach every job, pull requests' included.
 */
export const DATADOG_KEYS_ENV = [
  "    env:",
  "      TF_VAR_datadog_api_key: ${{ secrets.DATADOG_API_KEY }}",
  "      TF_VAR_datadog_app_key: ${{ secrets.DATADOG_APP_KEY }}",
  "",
].join("\n");

/** The `runs-on` label of an environment's CodeBuild-hosted runner (see constructs/ci). */
export function inVpcRunner(environmentExpression: string): string {
  return `codebuild-airflow-${environmentExpression}-runner-\${{ github.run_id }}-\${{ github.run_attempt }}`;
}

/** The steps before every cdktf diff or deploy of the synthesized artifact, with the role it assumes. */
export function synthesizedStackSteps(role: "AWS_PLAN_ROLE_ARN" | "AWS_DEPLOY_ROLE_ARN"): string {
  return [checkout(), setupNode(), setupTerraform(), run("npm ci"), downloadSynth(), awsCredentials(role)].join("");
}

// The steps the pipeline's jobs share, as YAML text indented for a job's `steps:` list. Each
// returns whole lines ending in a newline, so a job is its header followed by its steps.

export const CHECKOUT = "      - uses: actions/checkout@v4\n";

export const SETUP_NODE = ["      - uses: actions/setup-node@v4", "        with:", "          node-version: 20", "          cache: npm", ""].join("\n");

export const SETUP_TERRAFORM = [
  "      - uses: hashicorp/setup-terraform@v3",
  "        with:",
  "          terraform_version: ${{ env.TERRAFORM_VERSION }}",
  "          terraform_wrapper: false",
  "",
].join("\n");

export const DOWNLOAD_SYNTH = ["      - uses: actions/download-artifact@v4", "        with:", "          name: cdktf-out", "          path: cdktf.out", ""].join("\n");

/** The plan role (pull requests) or the deploy role (main), assumed through GitHub's OIDC token. */
export function awsCredentials(role: "AWS_PLAN_ROLE_ARN" | "AWS_DEPLOY_ROLE_ARN"): string {
  return [
    "      - uses: aws-actions/configure-aws-credentials@v4",
    "        with:",
    `          role-to-assume: \${{ vars.${role} }}`,
    "          aws-region: ${{ vars.AWS_REGION }}",
    "",
  ].join("\n");
}

export function run(command: string): string {
  return `      - run: ${command}\n`;
}

/** The Datadog keys the observability stack's provider (and the agent's chart) read, from secrets. */
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

import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import type { TerraformStack } from "../constructs/core";
import type { EnvironmentConfig } from "../configuration/schema/environment-config";

/** The AWS provider every stack of an environment uses: its region, and only its account. */
export function configureAwsProvider(stack: TerraformStack, stackName: string, config: EnvironmentConfig): AwsProvider {
  return new AwsProvider(stack, "aws", {
    region: config.account.region,
    // Refuses to run against any other account, whatever credentials are in the shell.
    allowedAccountIds: [config.account.id],
    defaultTags: [{ tags: { ...config.tags, environment: config.name, "airflow-platform/stack": stackName } }],
  });
}

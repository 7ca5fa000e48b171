import type { Construct } from "../constructs/core";
import type { EnvironmentConfig } from "../environments/config";
import { InfrastructureStack } from "./infrastructure-stack";

/**
 * One environment's platform: today the `<env>-infrastructure` stack; the platform and
 * observability stacks join it here. Stacks are created on the app itself so their names, and
 * so their directories under cdktf.out/stacks, are exactly `<env>-<layer>`.
 */
export class AirflowPlatform {
  readonly config: EnvironmentConfig;
  readonly infrastructure: InfrastructureStack;

  constructor(app: Construct, config: EnvironmentConfig) {
    this.config = config;
    this.infrastructure = new InfrastructureStack(app, config);
  }
}

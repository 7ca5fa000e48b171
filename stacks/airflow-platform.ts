import { Construct } from "../constructs/core";
import type { EnvironmentConfig } from "../configuration/schema/environment-config";
import { InfrastructureStack } from "./infrastructure-stack";
import { ObservabilityStack } from "./observability-stack";
import { PlatformStack } from "./platform-stack";

/**
 * One environment's platform: the construct `<env>` holding the stacks `<env>-infrastructure`,
 * `<env>-platform` and `<env>-observability`. Its id is the environment's name, so the construct
 * paths configuration errors name (`prod/prod-infrastructure/node-groups/tasks`) are the paths
 * it builds; cdktf names a stack's directory under cdktf.out/stacks after the stack's own id.
 */
export class AirflowPlatform extends Construct {
  readonly config: EnvironmentConfig;
  readonly infrastructure: InfrastructureStack;
  readonly platform: PlatformStack;
  readonly observability: ObservabilityStack;

  constructor(scope: Construct, config: EnvironmentConfig) {
    super(scope, config.name);
    this.config = config;
    this.infrastructure = new InfrastructureStack(this, config);
    this.platform = new PlatformStack(this, config, this.infrastructure);
    this.observability = new ObservabilityStack(this, config);
  }
}

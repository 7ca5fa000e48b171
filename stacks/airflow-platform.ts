import type { Construct } from "../constructs/core";
import type { EnvironmentConfig } from "../environments/config";
import { InfrastructureStack } from "./infrastructure-stack";
import { ObservabilityStack } from "./observability-stack";
import { PlatformStack } from "./platform-stack";

/**
 * One environment's platform: the `<env>-infrastructure`, `<env>-platform` and
 * `<env>-observability` stacks. Stacks are created on the app itself so their names, and
 * so their directories under cdktf.out/stacks, are exactly `<env>-<layer>`.
 */
export class AirflowPlatform {
  readonly config: EnvironmentConfig;
  readonly infrastructure: InfrastructureStack;
  readonly platform: PlatformStack;
  readonly observability: ObservabilityStack;

  constructor(app: Construct, config: EnvironmentConfig) {
    this.config = config;
    this.infrastructure = new InfrastructureStack(app, config);
    this.platform = new PlatformStack(app, config, this.infrastructure);
    this.observability = new ObservabilityStack(app, config);
  }
}

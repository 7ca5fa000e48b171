import { DatadogProvider } from "@cdktf/provider-datadog/lib/provider";
import { PlatformDashboard } from "../constructs/datadog/platform-dashboard";
import { PlatformMonitors } from "../constructs/datadog/platform-monitors";
import { SlackChannels } from "../constructs/datadog/slack-channels";
import { Construct, TerraformStack, TerraformVariable } from "../constructs/core";
import { Duration } from "../lib/units";
import type { EnvironmentConfig } from "../configuration/schema/environment-config";
import { OBSERVABILITY_IDS as IDS, observabilityStackName } from "../configuration/derived/construct-paths";
import { metricCatalogFor } from "../configuration/derived/metric-catalog";
import { monitorContextFor, monitorSpecsFor, slackRoutingFor } from "../configuration/derived/monitors";
import { configureStateBackend } from "./state-backend";

/**
 * `<env>-observability`: Datadog monitors for the pipeline, the cluster and the database, routed
 * to Slack by severity. Keys come from sensitive variables (`TF_VAR_datadog_api_key`,
 * `TF_VAR_datadog_app_key`), never from configuration.
 */
export class ObservabilityStack extends TerraformStack {
  constructor(scope: Construct, config: EnvironmentConfig) {
    const name = observabilityStackName(config.name);
    super(scope, name);
    configureStateBackend(this, name, config.stateBackend);
    const apiKey = new TerraformVariable(this, "datadog_api_key", { type: "string", sensitive: true, description: "Datadog API key" });
    const appKey = new TerraformVariable(this, "datadog_app_key", { type: "string", sensitive: true, description: "Datadog application key" });
    new DatadogProvider(this, "datadog", {
      apiKey: apiKey.stringValue,
      appKey: appKey.stringValue,
      apiUrl: `https://api.${config.observability.datadogSite}/`,
    });
    const routing = slackRoutingFor(config);
    new SlackChannels(this, IDS.slackChannels, routing);
    new PlatformMonitors(this, IDS.monitors, {
      environment: config.name,
      monitors: monitorSpecsFor(config),
      catalog: metricCatalogFor(config),
      routing,
      renotify: Duration.minutes(config.stage === "prod" ? 30 : 120),
    });
    new PlatformDashboard(this, IDS.dashboard, { environment: config.name, context: monitorContextFor(config), catalog: metricCatalogFor(config) });
  }
}

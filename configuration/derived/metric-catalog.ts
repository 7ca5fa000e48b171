import { AIRFLOW_CHART } from "../../constructs/airflow/chart-versions";
import { airflowMapperProfilesInUse, type AirflowTraceOptions } from "../../constructs/datadog/airflow-metric-trace";
import { agentDogstatsdTags, agentGlobalTags, NODE_POOL_TAG } from "../../constructs/datadog/datadog-agent-release";
import { airflowMapperProfiles, type MapperProfile } from "../../constructs/datadog/mapper-profiles";
import { buildMetricCatalog, type CatalogSettings, type MetricCatalog } from "../../constructs/datadog/metric-catalog";
import type { EnvironmentConfig } from "../schema/environment-config";
import { airflowValuesFor } from "./airflow-values";

// What reaches Datadog from one environment: its Airflow version and `[metrics]` section (from
// the chart values it deploys), the agent's tags and the AWS tags on its resources.

/** How Airflow's metrics leave its processes and pass the agent, in this environment. */
export function airflowTraceOptionsFor(config: EnvironmentConfig): AirflowTraceOptions {
  const values = airflowValuesFor(config) as { config?: { metrics?: Record<string, string> } };
  return {
    airflowVersion: AIRFLOW_CHART.airflowVersion,
    metricsConfig: values.config?.metrics ?? {},
    mapperProfiles: airflowMapperProfiles(),
    dogstatsdTags: agentDogstatsdTags(config.name),
  };
}

/** The mapper profiles the environment's agent gets: only mappings something it sends needs. */
export function mapperProfilesFor(config: EnvironmentConfig): MapperProfile[] {
  return airflowMapperProfilesInUse(airflowTraceOptionsFor(config));
}

export function catalogSettingsFor(config: EnvironmentConfig): CatalogSettings {
  return {
    ...airflowTraceOptionsFor(config),
    globalTags: agentGlobalTags(config.name),
    nodeLabelTags: [NODE_POOL_TAG],
    // The AWS provider's default tags (stacks/aws-provider.ts) and the Name tag, lower-cased as
    // Datadog's AWS integration writes tag keys.
    awsResourceTagKeys: [...Object.keys(config.tags), "environment", "name"].map((key) => key.toLowerCase()),
    declared: config.observability.declaredMetrics,
  };
}

const catalogs = new WeakMap<EnvironmentConfig, MetricCatalog>();

/** The environment's metric catalog, built once per configuration object. */
export function metricCatalogFor(config: EnvironmentConfig): MetricCatalog {
  let catalog = catalogs.get(config);
  if (!catalog) {
    catalog = buildMetricCatalog(catalogSettingsFor(config));
    catalogs.set(config, catalog);
  }
  return catalog;
}

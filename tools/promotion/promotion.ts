import { readFileSync } from "node:fs";
import { AIRFLOW_CHART } from "../../constructs/airflow/chart-versions";
import { CLUSTER_AUTOSCALER_VERSIONS } from "../../constructs/autoscaler/autoscaler-versions";
import { packageManifest } from "../../lib/data-files";
import { DATADOG_CHART } from "../../constructs/datadog/datadog-agent-release";
import { airflowValuesFor } from "../../configuration/derived/airflow-values";
import type { EnvironmentConfig } from "../../configuration/schema/environment-config";

// What an environment runs, as one flat map, and how two environments may differ. Promotion
// moves one reviewed configuration dev → staging → prod: sizes, counts, names, channels and
// retention may differ; versions and Airflow's configuration may not, so prod only ever runs what
// staging already ran.

export type ManifestValue = string | number | boolean | null;

/** Paths that may differ between environments: who, where, how big, how long. */
export const ALLOWED_DIFFERENCES: readonly RegExp[] = [
  /^env\.(name|stage|resourcePrefix|clusterName|protectData|example)$/,
  /^env\.account\./,
  /^env\.availabilityZones\./,
  /^env\.network\./,
  /^env\.subnets\./,
  /^env\.stateBackend\./,
  /^env\.tags\./,
  /^env\.cluster\.(publicEndpointCidrs|adminRoleArns|controlPlaneLogRetentionDays)/,
  /^env\.nodeGroups\.\w+\.(minSize|maxSize|desiredSize|instanceTypes|diskSizeGiB)/,
  // A task pool's size may differ; whether it exists may not: a DAG that chooses a pool the
  // target lacks would be refused there by the pod mutation hook.
  /^env\.nodeGroups\.taskPools\.[\w-]+\.(minSize|maxSize|desiredSize|instanceTypes|diskSizeGiB)/,
  /^env\.database\.(instanceClass|allocatedStorageGiB|maxAllocatedStorageGiB|maxConnections|backupRetentionDays|multiAz|performanceInsightsRetentionDays|backupWindow|maintenanceWindow)$/,
  // Each environment rotates Airflow's database password on its own schedule.
  /^env\.database\.airflowPasswordGeneration$/,
  /^env\.logStorage\./,
  /^env\.taskImages\.(keepTaggedImages|expireUntaggedAfterDays)$/,
  /^env\.airflow\.(parallelism|schedulerReplicas|apiServerReplicas|taskRoleArn)$/,
  /^env\.airflow\.(pgbouncer|taskPod|taskQuota)\./,
  /^env\.airflow\.gitSync\.branch$/,
  /^env\.observability\.(slack|pageHandle|team)/,
  /^env\.observability\.criticalDags\.\d+\.(deadlineHours|finishBy|startBy|timezone|days)/,
  /^airflow\.config\.core\.(parallelism|max_active_tasks_per_dag)$/,
  // Waivers are per-environment exceptions, each with its reason, shown in `npm run policy`.
  /^env\.policyWaivers/,
  /^env\.airflow\.chartValueWaivers/,
  // Facts about instance types the data lacks, not settings: an environment's own types may differ.
  /^env\.extra(InstanceTypes|DbInstanceClasses)\./,
  // The pipeline's connection, plan role and runner size belong to each environment's account.
  /^env\.ci\.(connectionArn|planRoleArn|runnerActorIds|runner\.)/,
  // Each environment has its own hostname, certificate, identity-provider client and groups.
  /^env\.airflow\.ui\./,
  /^env\.airflow\.auth\.(sso\.(issuerUrl|clientId|clientSecret|roleMapping)|breakGlassUsername)/,
  /^airflow\.config\.api\.base_url$/,
  // Each environment pulls Airflow's image from its own registry; the tag must match.
  /^airflow\.images\.airflow\.repository$/,
  /^env\.airflow\.image\.repository$/,
];

function flatten(prefix: string, value: unknown, into: Record<string, ManifestValue>): Record<string, ManifestValue> {
  if (Array.isArray(value)) {
    if (value.length === 0) into[prefix] = "[]";
    value.forEach((item, i) => flatten(`${prefix}.${i}`, item, into));
  } else if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value);
    if (entries.length === 0) into[prefix] = "{}";
    for (const [key, item] of entries) flatten(`${prefix}.${key}`, item, into);
  } else if (value !== undefined) {
    into[prefix] = value as ManifestValue;
  }
  return into;
}

function providerVersions(): Record<string, string> {
  const manifest = JSON.parse(readFileSync(packageManifest(), "utf8")) as { dependencies?: Record<string, string> };
  return Object.fromEntries(Object.entries(manifest.dependencies ?? {}).filter(([name]) => name === "cdktf" || name.startsWith("@cdktf/provider-")));
}

/** Everything an environment runs and is, flattened to `section.path` keys. */
export function releaseManifest(config: EnvironmentConfig): Record<string, ManifestValue> {
  const versions = {
    eks: config.eksVersion,
    eksAddons: config.addonVersions,
    postgres: config.database.engineVersion,
    airflowChart: AIRFLOW_CHART.version,
    airflow: AIRFLOW_CHART.airflowVersion,
    clusterAutoscaler: CLUSTER_AUTOSCALER_VERSIONS[config.eksVersion],
    datadogChart: DATADOG_CHART.version,
    packages: providerVersions(),
  };
  const values = airflowValuesFor(config);
  return {
    ...flatten("versions", versions, {}),
    ...flatten("airflow.config", values.config, {}),
    // Airflow's image: its tag is a version (what the image holds), its repository is each
    // environment's own ECR; the chart's other images are versions too.
    ...flatten("airflow.images", values.images ?? {}, {}),
    ...flatten("env", config, {}),
  };
}

export interface PromotionDifference {
  readonly path: string;
  readonly source: ManifestValue | undefined;
  readonly target: ManifestValue | undefined;
  readonly allowed: boolean;
}

/** Every difference between two environments' manifests, each marked allowed or not. */
export function comparePromotion(source: EnvironmentConfig, target: EnvironmentConfig): PromotionDifference[] {
  const from = releaseManifest(source);
  const to = releaseManifest(target);
  const paths = [...new Set([...Object.keys(from), ...Object.keys(to)])].sort();
  return paths
    .filter((path) => from[path] !== to[path])
    .map((path) => ({ path, source: from[path], target: to[path], allowed: ALLOWED_DIFFERENCES.some((pattern) => pattern.test(path)) }));
}

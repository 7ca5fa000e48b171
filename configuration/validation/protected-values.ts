import { isDeepStrictEqual } from "node:util";
import { valueAt } from "../../lib/config-error";
import type { EnvironmentConfig } from "../schema/environment-config";
import { airflowValuesFor, builtAirflowValues } from "../derived/airflow-values";
import type { RuleViolation } from "../common/rule-violation";
import { didYouMean } from "../common/suggest";

/**
 * Chart values the platform depends on, each with what it guarantees. `chartValueOverrides` may
 * change anything else; a change here is refused unless `airflow.chartValueWaivers` names the
 * path with a reason. Reviewed like code: add a path when the platform starts relying on a value.
 * A path whose built value is absent protects absence (no secret literal in the values).
 */
export const PROTECTED_CHART_VALUES: Readonly<Record<string, string>> = {
  executor: "KubernetesExecutor: every task in its own pod on the tasks node group (the capacity checks, quotas and monitors assume it)",
  "config.core.executor": "the executor comes from `executor` alone",
  "pgbouncer.enabled": "PgBouncer pools the metadata database's connections; without it 200 task pods exhaust max_connections",
  "pgbouncer.configSecretName": "PgBouncer reads the platform's auth file, the only place the database password goes",
  "data.metadataSecretName": "Airflow connects through PgBouncer with its own login, never with the master password",
  "postgresql.enabled": "the metadata database is RDS, not a pod",
  podTemplate: "task pods start from the project's template: the tasks pool with its toleration, never evicted by the autoscaler, no Airflow keys (policy rule task-pods-not-evictable)",
  "securityContexts.pod": "Airflow runs as uid 50000 with group 0, the EFS access point's owner",
  // How many groomers run is a guarantee with no waiver (constructs/airflow/values-guarantees.ts).
  "dagProcessor.logGroomerSidecar": "the log groomer keeps the environment's retention (logStorage.retentionDays)",
  "migrateDatabaseJob.ttlSecondsAfterFinished": "the migration Job deletes itself, so a re-apply recreates it instead of patching an immutable Job",
  "createUserJob.ttlSecondsAfterFinished": "the user Job deletes itself, so a re-apply recreates it instead of patching an immutable Job",
  "dags.gitSync.ref": "the DAGs come from the environment's branch (git-sync v4's ref)",
  "dags.gitSync.branch": "empty: git-sync v4 would let the deprecated branch replace ref",
  "dags.gitSync.rev": "empty: git-sync v4 would let the deprecated rev replace ref",
  "config.core.dags_are_paused_at_creation": "new DAGs start as the environment says (airflow.dagsPausedAtCreation)",
  "statsd.enabled": "no StatsD exporter: metrics go to the node's Datadog agent",
  extraEnv: "Airflow's StatsD host is the node's IP, where the Datadog agent listens",
  airflowLocalSettings: "the pod_mutation_hook gives every pod Airflow launches task placement and eviction protection (policy rule task-pods-not-evictable)",
  "migrateDatabaseJob.useHelmHooks": "Helm hooks off: Terraform's helm_release and Helm hooks wait on each other (terraform-provider-helm#683)",
  "createUserJob.useHelmHooks": "Helm hooks off, as for the migration job",
  "createUserJob.args": "the chart's user job creates only the break-glass admin, never its default admin/admin",
  "createUserJob.env": "the break-glass admin's password comes from its generated Secret, never a literal",
  "ingress.apiServer": "the UI is reached through the internal ALB with TLS and the environment's allowlist",
  "config.api.base_url": "Airflow's links and OAuth redirects follow the UI's hostname",
  "config.core.auth_manager": "the FAB auth manager, which the generated webserver_config.py configures",
  "config.fab.enable_proxy_fix": "the ALB ends TLS: forwarded headers must count, or OAuth redirects say http://",
  "apiServer.apiServerConfig": "single sign-on with the environment's group-to-role mapping (webserver_config.py)",
  "apiServer.extraVolumes": "the SSO client secret is mounted from its Secret, never put in values",
  "apiServer.extraVolumeMounts": "the SSO client secret is mounted from its Secret, never put in values",
  "logs.persistence.enabled": "task logs persist on the EFS claim; off, Helm gives every pod an emptyDir and a task's log vanishes with its pod",
  "logs.persistence.existingClaim": "task logs go to the EFS claim the platform creates",
  "images.gitSync": "git-sync v4, whose ref the values set (v3 would ignore it)",
  "images.airflow": "Airflow runs the image airflow.image names (the platform's own, with the datadog package its DogStatsD client needs, or the team's prebuilt one): set it there",
  "images.useDefaultImageForMigration": "migrations run on Airflow's own image, not the chart's default apache/airflow at another version",
  defaultAirflowRepository: "the chart's default stays unread: Airflow's image is airflow.image",
  defaultAirflowTag: "the chart's default stays unread: Airflow's image is airflow.image",
  defaultAirflowDigest: "a digest would replace airflow.image's tag in every Airflow container",
  "config.metrics.statsd_on": "metrics go to the node's Datadog agent, which the monitors read",
  "config.metrics.statsd_port": "the node's Datadog agent listens for DogStatsD on 8125",
  "config.metrics.statsd_prefix": "the monitors query Airflow's metrics under the airflow. prefix",
  "config.metrics.statsd_datadog_enabled": "Airflow sends DogStatsD tags, which the monitors group by",
  "config.metrics.statsd_datadog_metrics_tags": "Airflow sends DogStatsD tags, which the monitors group by",
  "pgbouncer.mountConfigSecret": "PgBouncer reads its live-mounted config, so a rotated password is reloaded in place",
  "pgbouncer.command": "PgBouncer runs under the platform's supervisor, which reloads a changed config",
  "pgbouncer.extraVolumes": "PgBouncer's config is mounted live from the platform's Secret",
  "pgbouncer.extraVolumeMounts": "PgBouncer's config is mounted live from the platform's Secret",
  fernetKeySecretName: "the fernet key comes from the platform's Secret",
  apiSecretKeySecretName: "the API secret key comes from the platform's Secret",
  jwtSecretName: "the JWT secret comes from the platform's Secret",
  "config.kubernetes_executor.delete_worker_pods_on_failure": "a failed task's pod is kept for its logs and events",
  fernetKey: "no secret literal in Helm values: the fernet key comes from a Secret (policy rule no-secret-literals)",
  webserverSecretKey: "no secret literal in Helm values (policy rule no-secret-literals)",
  apiSecretKey: "no secret literal in Helm values (policy rule no-secret-literals)",
  jwtSecret: "no secret literal in Helm values (policy rule no-secret-literals)",
  // Containment (constructs/airflow/containment-values.ts, docs/containment.md).
  allowPodLaunching: "nothing may start a pod in Airflow's namespace, where every Secret and the bootstrap Job's IRSA account live; the scheduler's rights are in the task namespace",
  allowJobLaunching: "nothing may start a Job in Airflow's namespace",
  multiNamespaceMode: "no cluster-wide pod rights: the scheduler launches in the task namespace only",
  "config.kubernetes_executor.namespace": "task pods run in the task namespace, where no account has a right and Pod Security is restricted",
  "workers.serviceAccount": "task pods run as the task namespace's airflow-task, not a worker account in Airflow's namespace",
  "securityContexts.containers": "Pod Security restricted, enforced on Airflow's namespace: no privilege escalation, no capabilities",
  "dagProcessor.serviceAccount": "the DAG processor runs DAG authors' code: no Kubernetes token",
  "triggerer.serviceAccount": "the triggerer runs DAG authors' triggers: no Kubernetes token",
  "enableBuiltInSecretEnvVars.AIRFLOW__API_AUTH__JWT_SECRET": "the JWT secret only where task tokens are signed and checked: not in the DAG processor, the triggerer or the jobs",
  "config.core.execution_api_server_url": "task pods, in the task namespace, find the execution API by the API server Service's full name",
  "scheduler.env": "the scheduler gets the JWT secret here, to sign task tokens",
  "apiServer.env": "the API server gets the JWT secret here, to check task tokens",
};

function render(value: unknown): string {
  return value === undefined ? "absent" : JSON.stringify(value);
}

/** Protected values the overrides change without a waiver, and waivers that name no protected path. */
export function protectedValueProblems(config: EnvironmentConfig): RuleViolation[] {
  const built = builtAirflowValues(config);
  const merged = airflowValuesFor(config);
  const waivers = config.airflow.chartValueWaivers;
  const found: RuleViolation[] = [];
  for (const [path, guarantee] of Object.entries(PROTECTED_CHART_VALUES)) {
    const keys = path.split(".");
    const before = valueAt(built, keys);
    const after = valueAt(merged, keys);
    if (isDeepStrictEqual(before, after) || waivers.some((w) => w.path === path)) continue;
    found.push({
      path: ["airflow", "chartValueOverrides", ...keys],
      given: after,
      allowed: `${render(before)}: ${guarantee}. To change it anyway, add { path: "${path}", reason: "…" } to airflow.chartValueWaivers`,
    });
  }
  const known = Object.keys(PROTECTED_CHART_VALUES);
  waivers.forEach((waiver, i) => {
    if (!known.includes(waiver.path)) {
      found.push({ path: ["airflow", "chartValueWaivers", i, "path"], given: waiver.path, allowed: `${didYouMean(waiver.path, known)}one of the protected chart values: ${known.join(", ")}` });
    }
  });
  return found;
}

/**
 * What the project does with the Airflow chart's own `config:` defaults, which the chart writes
 * into airflow.cfg under whatever the project sets. Helm merges the project's values over the
 * chart's and deletes a key whose value is `null`, so a `null` here takes the option (or the
 * whole section) out of the rendered airflow.cfg (configmaps/configmap.yaml prints every key
 * left in `.Values.config`).
 *
 * Dropped: what Airflow 3.1 with the platform's providers does not read at all, the chart writes
 * for Airflow 2 or for executors and log backends the platform does not run. Each would be one
 * more option `airflow config lint` reports, and a misleading line for whoever reads the file.
 * @see https://helm.sh/docs/chart_template_guide/values_files/#deleting-a-default-key
 */
export const DROPPED_CHART_CONFIG = {
  core: {
    // Moved to [logging] in Airflow 2.0; the chart also sets them there.
    colored_console_log: null,
    remote_logging: null,
  },
  scheduler: {
    // Airflow 1's scheduler restart interval; not an option since 2.0.
    run_duration: null,
    // Airflow 3 always runs the DAG processor on its own; the option is gone.
    standalone_dag_processor: null,
    // Moved to [metrics] in 2.0 (lint: "moved from scheduler to metrics"); [metrics] has the real ones.
    statsd_on: null,
    statsd_host: null,
    statsd_port: null,
    statsd_prefix: null,
  },
  metrics: {
    // Names the chart's own StatsD Service, which is off (statsd.enabled false): every Airflow
    // pod gets AIRFLOW__METRICS__STATSD_HOST from its node's IP (the Datadog agent), which wins.
    statsd_host: null,
  },
  // [webserver] rbac is Airflow 1's; enable_proxy_fix moved to [fab] (set there by the chart too).
  webserver: null,
  // The pre-2.5 name of [kubernetes_executor], which the chart also writes in full.
  kubernetes: null,
  // Celery executors and Elasticsearch logs are not used: the executor is the KubernetesExecutor
  // and logs go to EFS. log_id_template's {execution_date} is a field Airflow 3 no longer has.
  celery: null,
  celery_kubernetes_executor: null,
  elasticsearch: null,
  elasticsearch_configs: null,
  // Nothing runs `airflow kerberos`; the chart's principal is a placeholder (airflow@FOO.COM).
  kerberos: null,
} as const;

/**
 * Chart defaults left in airflow.cfg on purpose, each an option Airflow 3.1 reads: any other
 * option in the rendered file must be one the project sets (a chart upgrade that adds a default
 * fails the Airflow config test until it is dropped or listed here).
 */
export const KEPT_CHART_CONFIG: Readonly<Record<string, readonly string[]>> = {
  // The git-sync checkout, the executor the chart's values name, the task API's in-cluster URL
  // (the chart derives it from the API server's Service).
  core: ["dags_folder", "executor", "execution_api_server_url"],
  // The DAG bundle: the git-sync checkout's folder.
  dag_processor: ["dag_bundle_config_list"],
  // The executor's namespace, pod template path and image, all from the chart's values.
  kubernetes_executor: ["namespace", "pod_template_file", "worker_container_repository", "worker_container_tag", "multi_namespace_mode"],
  logging: ["colored_console_log"],
};

/**
 * The chart renders a Secret `<release>-broker-url` for Celery's broker unless one is named; with
 * Redis off and no URL its value is `%!s(<nil>)` (Go's rendering of a missing value). Naming a
 * Secret stops the render; nothing reads the name, as only Celery executors get the broker URL
 * (`_helpers.yaml`, `standard_airflow_environment`).
 */
export const NO_CELERY_BROKER = { brokerUrlSecretName: "airflow-no-celery-broker" } as const;

/**
 * The official Apache Airflow chart and the Airflow it runs. Pinned: values are validated
 * against this exact chart's schema (data/airflow-chart), so a new chart means a new schema.
 * Airflow 3.1.8 is the newest release of the 3.1 line the chart was built for; why not 3.2 or 3.3
 * on this chart is written down in data/versions.md.
 * @see https://airflow.apache.org/docs/helm-chart/stable/index.html
 */
export const AIRFLOW_CHART = {
  repository: "https://airflow.apache.org",
  chart: "airflow",
  version: "1.19.0",
  airflowVersion: "3.1.8",
} as const;

/** The Helm release, and so the prefix of every object the chart creates. */
export const AIRFLOW_RELEASE_NAME = "airflow";

/**
 * git-sync, pinned here rather than left to the chart's default, so the chart's own git-sync
 * sidecars and the task pod template's init container always run the same v4 image (the chart
 * 1.19.0 default).
 */
export const GIT_SYNC_IMAGE = { repository: "registry.k8s.io/git-sync/git-sync", tag: "v4.4.2" } as const;

/** Where the official image keeps Airflow's home (the chart's `airflowHome`). */
export const AIRFLOW_HOME = "/opt/airflow";

/** Names the chart gives its objects with `useStandardNaming` off: `<release>-<suffix>`. */
export const CHART_OBJECT_NAMES = {
  /** The ConfigMap holding airflow.cfg, airflow_local_settings.py and known_hosts. */
  config: `${AIRFLOW_RELEASE_NAME}-config`,
  /** The scheduler's service account: the KubernetesExecutor starts task pods with it. */
  schedulerServiceAccount: `${AIRFLOW_RELEASE_NAME}-scheduler`,
  /** The API server's service account: it reads running task pods' logs. */
  apiServerServiceAccount: `${AIRFLOW_RELEASE_NAME}-api-server`,
} as const;

/**
 * The official Apache Airflow chart and the Airflow it runs. Pinned: values are validated
 * against this exact chart's schema (data/airflow-chart), so a new chart means a new schema.
 * @see https://airflow.apache.org/docs/helm-chart/stable/index.html
 */
export const AIRFLOW_CHART = {
  repository: "https://airflow.apache.org",
  chart: "airflow",
  version: "1.19.0",
  airflowVersion: "3.1.7",
} as const;

/** The Helm release, and so the prefix of every object the chart creates. */
export const AIRFLOW_RELEASE_NAME = "airflow";

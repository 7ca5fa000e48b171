import { readFileSync } from "node:fs";
import { dataFile } from "../data-files";

/**
 * The metrics monitors may query: the upstream Datadog integration metadata (Airflow,
 * Kubernetes, kube-state-metrics core, Cluster Autoscaler, PgBouncer) and this project's
 * documented list of AWS integration metrics. See data/datadog/SOURCE.md.
 */
export const METRIC_LISTS = [
  "airflow-metadata.csv",
  "kubernetes-metadata.csv",
  "kubernetes_state_core-metadata.csv",
  "kubernetes_cluster_autoscaler-metadata.csv",
  "pgbouncer-metadata.csv",
  "aws-integration-metrics.csv",
] as const;


/** The first column of a metadata CSV, without its header. Metric names never contain commas. */
export function metricNamesFromCsv(text: string): string[] {
  const [header, ...rows] = text.split(/\r?\n/).filter((line) => line.trim().length > 0);
  if (!header?.startsWith("metric_name,")) throw new Error("metric list: the first column must be metric_name");
  return rows.map((row) => row.slice(0, row.indexOf(",")));
}

let catalog: ReadonlySet<string> | undefined;

/** Every known metric name, read once per process. */
export function knownMetrics(): ReadonlySet<string> {
  if (!catalog) {
    catalog = new Set(METRIC_LISTS.flatMap((file) => metricNamesFromCsv(readFileSync(dataFile("datadog", file), "utf8"))));
  }
  return catalog;
}

/**
 * Listed, but never sent under KubernetesExecutor (Datadog's Airflow integration README): a
 * monitor on one of these would stay silent through every failure.
 */
export const NOT_EMITTED_UNDER_KUBERNETES_EXECUTOR: ReadonlySet<string> = new Set([
  "airflow.ti_failures",
  "airflow.ti_successes",
  "airflow.operator_failures",
  "airflow.operator_successes",
  "airflow.dag.task.duration",
]);

import { legacyTwinBlockList } from "./airflow-metric-trace";
import type { StatsdClientKind } from "./airflow-statsd-client";
import { DOGSTATSD_PORT } from "./dogstatsd";

/**
 * Airflow's `[metrics]` section: StatsD to the node's Datadog agent (the host comes from
 * AIRFLOW__METRICS__STATSD_HOST, the node's IP), through the client the environment chooses.
 *
 * With `dogstatsd`, Airflow's DogStatsD client sends the tags of every call (dag_id, task_id,
 * pool_name, ...), which per-task monitors need; `statsd_disabled_tags` keeps Airflow's default
 * (job_id and run_id would make a new series for every run). The dotted legacy names that repeat a
 * tagged metric (`ti.running.<queue>.<dag>.<task>` beside `ti.running` with tags) are blocked: the
 * mapper would fold them into the same Datadog metric and double every count, and unmapped they
 * would be a custom metric per DAG and task.
 * @see https://airflow.apache.org/docs/apache-airflow/stable/configurations-ref.html#metrics
 */
export function airflowMetricsConfig(client: StatsdClientKind): Record<string, string> {
  // statsd.enabled=false in the chart would also turn these off: set back on explicitly.
  const base = { statsd_on: "True", statsd_port: String(DOGSTATSD_PORT), statsd_prefix: "airflow" };
  if (client === "statsd") return { ...base, statsd_datadog_enabled: "False" };
  return {
    ...base,
    statsd_datadog_enabled: "True",
    statsd_datadog_metrics_tags: "True",
    statsd_disabled_tags: "job_id,run_id",
    metrics_block_list: legacyTwinBlockList().join(","),
  };
}

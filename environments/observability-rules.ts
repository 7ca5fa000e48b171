import type { RuleViolation } from "./rules";
import type { ParsedEnvironment } from "./schema";

/** The stock image the chart runs unless told otherwise: it has no `datadog` Python package. */
export const STOCK_AIRFLOW_REPOSITORY = "apache/airflow";

function record(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};
}

/** The Airflow image repository the chart will run, as the chart's airflow_image helper picks it. */
export function airflowImageRepository(env: ParsedEnvironment): string {
  const overrides = record(env.airflow.chartValueOverrides);
  const repository = record(record(overrides.images).airflow).repository ?? overrides.defaultAirflowRepository;
  return typeof repository === "string" && repository.length > 0 ? repository : STOCK_AIRFLOW_REPOSITORY;
}

/** A tz database name Node's ICU knows, as Datadog's custom schedules take. */
function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * Rules on who is alerted and what can be measured: dev never pages, each critical DAG is listed
 * once with a real time zone, and Airflow's DogStatsD client only runs on an image that has it.
 */
export function checkObservabilityRules(env: ParsedEnvironment): RuleViolation[] {
  const { observability } = env;
  const found: RuleViolation[] = [];
  if (env.stage === "dev" && observability.pageHandle) {
    found.push({ path: ["observability", "pageHandle"], given: observability.pageHandle, allowed: "no paging in dev: alerts go to Slack only" });
  }
  const dagIds = observability.criticalDags.map((d) => d.dagId);
  if (new Set(dagIds).size !== dagIds.length) {
    found.push({ path: ["observability", "criticalDags"], given: dagIds, allowed: "each DAG id once" });
  }
  observability.criticalDags.forEach((dag, i) => {
    if (!isTimeZone(dag.timezone)) {
      found.push({ path: ["observability", "criticalDags", i, "timezone"], given: dag.timezone, allowed: "a tz database time zone such as Europe/Dublin or UTC" });
    }
  });
  if (observability.statsdClient === "dogstatsd" && airflowImageRepository(env) === STOCK_AIRFLOW_REPOSITORY) {
    found.push({
      path: ["observability", "statsdClient"],
      given: `dogstatsd with the stock ${STOCK_AIRFLOW_REPOSITORY} image`,
      allowed:
        "an Airflow image with the datadog Python package (FROM apache/airflow:<version>, pip install apache-airflow-providers-datadog) " +
        "in airflow.chartValueOverrides.images.airflow.repository: without it Airflow logs \"Could not configure StatsClient\" and sends no metrics at all; " +
        "or statsdClient \"statsd\" (no per-task tags)",
    });
  }
  return found;
}

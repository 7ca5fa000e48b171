import { airflowImageRepositoryOf, isStockAirflowRepository } from "./airflow-image-rules";
import type { RuleViolation } from "../common/rule-violation";
import type { ParsedEnvironment } from "../schema/environment";

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
  const repository = airflowImageRepositoryOf(env);
  if (observability.statsdClient === "dogstatsd" && repository !== undefined && isStockAirflowRepository(repository)) {
    found.push({
      path: ["observability", "statsdClient"],
      given: `dogstatsd with the stock ${repository} image`,
      allowed:
        "an Airflow image with the datadog Python package: airflow.image { source: \"platform\" } (the default, built by the pipeline), " +
        "or a prebuilt one FROM apache/airflow with apache-airflow-providers-datadog installed; without it Airflow logs " +
        "\"Could not configure StatsClient\" and sends no metrics at all; or statsdClient \"statsd\" (no per-task tags)",
    });
  }
  return found;
}

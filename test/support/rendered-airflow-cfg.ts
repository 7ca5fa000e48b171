import { dataFile } from "../../constructs/data-files";
import { loadEnvironments } from "../../environments";
import { airflowValuesFor } from "../../environments/derived/airflow-values";
import { chartCopy, helmTemplate } from "./helm";

// The airflow.cfg the real Helm renders into the `airflow-config` ConfigMap for an environment.
// Until the shared test/support/airflow-files.ts (airflow-config lane) is on this branch, the
// capture renders it itself; only its [metrics] section and what the run does not override
// (see airflow-run.ts) reach Airflow.
export function renderedAirflowCfg(environment = "dev"): string {
  const chart = chartCopy(dataFile("airflow-chart", "chart"), [dataFile("airflow-chart", "values.yaml"), dataFile("airflow-chart", "values.schema.json")]);
  const [config] = loadEnvironments(environment);
  const configMap = helmTemplate(chart, "airflow", "airflow", airflowValuesFor(config)).find((o) => o.kind === "ConfigMap" && o.metadata.name === "airflow-config") as
    | { data?: Record<string, string> }
    | undefined;
  const cfg = configMap?.data?.["airflow.cfg"];
  if (!cfg) throw new Error(`helm template rendered no airflow.cfg in the airflow-config ConfigMap for ${environment}`);
  return cfg;
}

import { dataFile } from "../../constructs/data-files";
import type { EnvironmentConfig } from "../../environments/config";
import { airflowValuesFor } from "../../environments/derived/airflow-values";
import { chartCopy, helmTemplate, type Manifest } from "../support/helm";

// What the real Helm (3.17.2, the pinned chart) renders for the API server of an environment:
// the airflow.cfg and webserver_config.py it mounts, and the command it runs.

export interface ApiServerFiles {
  readonly airflowCfg: string;
  readonly webserverConfig: string;
  /** The API server container's args, e.g. ["bash", "-c", "exec airflow api-server"]. */
  readonly args: readonly string[];
}

interface ConfigMap extends Manifest {
  readonly data: Readonly<Record<string, string>>;
}
interface Deployment extends Manifest {
  readonly spec: { readonly template: { readonly spec: { readonly containers: readonly { readonly name: string; readonly args?: readonly string[] }[] } } };
}

let chart: string | undefined;

export function renderedApiServerFiles(config: EnvironmentConfig): ApiServerFiles {
  chart ??= chartCopy(dataFile("airflow-chart", "chart"), [dataFile("airflow-chart", "values.yaml"), dataFile("airflow-chart", "values.schema.json")]);
  const objects = helmTemplate(chart, "airflow", config.airflow.namespace, airflowValuesFor(config));
  const configMap = (name: string) => objects.find((o): o is ConfigMap => o.kind === "ConfigMap" && o.metadata.name === name);
  const airflowCfg = configMap("airflow-config")?.data["airflow.cfg"];
  const webserverConfig = configMap("airflow-api-server-config")?.data["webserver_config.py"];
  const deployment = objects.find((o): o is Deployment => o.kind === "Deployment" && o.metadata.name === "airflow-api-server");
  const args = deployment?.spec.template.spec.containers.find((c) => c.name === "api-server")?.args;
  if (!airflowCfg || !webserverConfig || !args) throw new Error(`Helm rendered no airflow.cfg, webserver_config.py or API server args for ${config.name}`);
  return { airflowCfg, webserverConfig, args };
}

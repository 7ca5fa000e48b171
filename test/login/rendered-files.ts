import type { EnvironmentConfig } from "../../configuration/schema/environment-config";
import type { ApiServerFiles } from "../support/airflow-api-server";
import { airflowFiles } from "../support/airflow-files";
import type { Manifest } from "../support/helm";

// What the real Helm renders for an environment's API server: the files Airflow reads
// (test/support/airflow-files.ts) and the command its container runs.

interface Deployment extends Manifest {
  readonly spec: { readonly template: { readonly spec: { readonly containers: readonly { readonly name: string; readonly args?: readonly string[] }[] } } };
}

export function renderedApiServerFiles(config: EnvironmentConfig): ApiServerFiles {
  const files = airflowFiles(config);
  const deployment = files.manifests.find((m): m is Deployment => m.kind === "Deployment" && m.metadata.name === "airflow-api-server");
  const args = deployment?.spec.template.spec.containers.find((c) => c.name === "api-server")?.args;
  if (!args) throw new Error(`${config.name}: Helm rendered no API server container args`);
  return { files, args };
}

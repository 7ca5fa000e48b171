import { airflowImageDockerfile, airflowImageTag, PLATFORM_AIRFLOW_IMAGE } from "../../constructs/airflow/airflow-image";
import { ecrRepositoryUrl } from "../../constructs/registry/image-repository";
import type { EnvironmentConfig } from "../schema/environment-config";
import { airflowImageRepositoryName } from "./resource-names";

/** The image an environment's Airflow runs, as the chart values name it. */
export interface AirflowImageReference {
  readonly repository: string;
  readonly tag: string;
  /** The Dockerfile the pipeline builds it from; none for a prebuilt image. */
  readonly dockerfile?: string;
}

/**
 * `airflow.image` resolved: the platform's own image in the environment's ECR, tagged from its
 * recipe, or the team's prebuilt one as given. Pure strings, no Terraform token: the chart values
 * that carry them are validated before synthesis.
 */
export function airflowImageFor(config: EnvironmentConfig): AirflowImageReference {
  const image = config.airflow.image;
  if (image.source === "prebuilt") return { repository: image.repository, tag: image.tag };
  return {
    repository: ecrRepositoryUrl({ accountId: config.account.id, region: config.account.region, partition: config.partition }, airflowImageRepositoryName(config)),
    tag: airflowImageTag(PLATFORM_AIRFLOW_IMAGE),
    dockerfile: airflowImageDockerfile(PLATFORM_AIRFLOW_IMAGE),
  };
}

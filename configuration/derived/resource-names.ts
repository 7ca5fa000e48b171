import type { EnvironmentConfig } from "../schema/environment-config";

// Names that more than one stack must agree on: the infrastructure stack creates the resources,
// the observability stack's monitors find them by name in Datadog's AWS integration tags.

export function metadataDatabaseIdentifier(config: EnvironmentConfig): string {
  return `${config.resourcePrefix}-metadata`;
}

export function logFileSystemName(config: EnvironmentConfig): string {
  return `${config.resourcePrefix}-task-logs`;
}

/**
 * The in-VPC runner's CodeBuild project; workflow jobs name it in `runs-on`
 * (`codebuild-<project>-${{ github.run_id }}-${{ github.run_attempt }}`).
 */
export function ciRunnerProjectName(config: Pick<EnvironmentConfig, "resourcePrefix">): string {
  return `${config.resourcePrefix}-runner`;
}

/** The short name of Airflow's own image repository, under the environment's prefix. */
export const AIRFLOW_IMAGE_REPOSITORY_NAME = "airflow";

/**
 * The ECR repository of the platform's Airflow image: the infrastructure stack creates it, the
 * chart values name it, the pipeline pushes to it (`npm run airflow-image -- repository <env>`).
 */
export function airflowImageRepositoryName(config: Pick<EnvironmentConfig, "resourcePrefix">): string {
  return `${config.resourcePrefix}/${AIRFLOW_IMAGE_REPOSITORY_NAME}`;
}

import { AIRFLOW_BASE_REPOSITORY } from "../../constructs/airflow/airflow-image";
import { deriveEnvironment } from "../schema/environment-config";
import { AIRFLOW_IMAGE_REPOSITORY_NAME, airflowImageRepositoryName } from "../derived/resource-names";
import type { RuleViolation } from "../common/rule-violation";
import type { ParsedEnvironment } from "../schema/environment";

function record(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};
}

/** Whether a repository is Docker Hub's official `apache/airflow`, however it is spelt. */
export function isStockAirflowRepository(repository: string): boolean {
  return repository.replace(/^(?:(?:index\.|registry-1\.)?docker\.io\/)/, "") === AIRFLOW_BASE_REPOSITORY;
}

/**
 * The repository Airflow's pods will pull, as the chart's airflow_image helper picks it: a waived
 * chart override first, then `airflow.image`; undefined for the platform's own image, which is
 * built with the datadog package.
 */
export function airflowImageRepositoryOf(env: ParsedEnvironment): string | undefined {
  const overrides = record(env.airflow.chartValueOverrides);
  const overridden = record(record(overrides.images).airflow).repository;
  if (typeof overridden === "string" && overridden.length > 0) return overridden;
  return env.airflow.image.source === "prebuilt" ? env.airflow.image.repository : undefined;
}

/**
 * The platform's Airflow image repository is `<resourcePrefix>/airflow`: a task image repository
 * of that name would be a second ECR repository with the same name, which AWS refuses at apply.
 */
export function checkAirflowImageRules(env: ParsedEnvironment): RuleViolation[] {
  if (env.airflow.image.source !== "platform") return [];
  return env.taskImages.repositories.flatMap((name, i) =>
    name === AIRFLOW_IMAGE_REPOSITORY_NAME
      ? [{
          path: ["taskImages", "repositories", i],
          given: name,
          allowed: `a name other than "${AIRFLOW_IMAGE_REPOSITORY_NAME}": ${airflowImageRepositoryName(deriveEnvironment(env))} is the repository of the platform's own Airflow image (airflow.image)`,
        }]
      : [],
  );
}

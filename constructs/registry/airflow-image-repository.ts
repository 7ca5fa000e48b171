import { Construct } from "../core";
import type { Duration } from "../../lib/units";
import { createImageRepository, imageLifecyclePolicy } from "./image-repository";

export interface AirflowImageRepositoryProps {
  /** The repository's full name, e.g. `airflow-prod/airflow` (resource-names.ts airflowImageRepositoryName). */
  readonly name: string;
  readonly kmsKeyArn: string;
  /**
   * Tagged images kept: the one running, and those a rollback would go back to.
   * @default 50
   * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/LifecyclePolicies.html
   */
  readonly keepTaggedImages?: number;
  /**
   * @default Duration.days(14)
   * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/LifecyclePolicies.html
   */
  readonly expireUntaggedAfter?: Duration;
}

/**
 * The ECR repository of the Airflow image every Airflow pod and task pod runs
 * (constructs/airflow/airflow-image.ts says what is in it). The pipeline builds and pushes it
 * between the infrastructure and platform deploys when its tag is not there yet; the nodes pull
 * it with their role's AmazonEC2ContainerRegistryReadOnly. Immutable tags, scan on push, the
 * images KMS key, and the task images' lifecycle.
 */
export class AirflowImageRepository extends Construct {
  readonly repositoryName: string;
  readonly repositoryUrl: string;
  readonly repositoryArn: string;

  constructor(scope: Construct, id: string, props: AirflowImageRepositoryProps) {
    super(scope, id);
    const repository = createImageRepository(this, "repository", {
      name: props.name,
      kmsKeyArn: props.kmsKeyArn,
      lifecyclePolicy: imageLifecyclePolicy(props.keepTaggedImages ?? 50, props.expireUntaggedAfter?.toDays() ?? 14),
    });
    this.repositoryName = repository.name;
    this.repositoryUrl = repository.repositoryUrl;
    this.repositoryArn = repository.arn;
  }
}

import { EcrLifecyclePolicy } from "@cdktf/provider-aws/lib/ecr-lifecycle-policy";
import { EcrRepository } from "@cdktf/provider-aws/lib/ecr-repository";
import { type AwsPartition, type AwsRegion, serviceDnsSuffix } from "../network/aws-regions";
import type { Construct } from "../core";

/**
 * ECR lifecycle rules: untagged layers expire first, then only the newest tagged images are kept.
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/LifecyclePolicies.html
 */
export function imageLifecyclePolicy(keepTaggedImages: number, expireUntaggedAfterDays: number): string {
  return JSON.stringify({
    rules: [
      {
        rulePriority: 1,
        description: `Expire untagged images after ${expireUntaggedAfterDays} days`,
        selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: expireUntaggedAfterDays },
        action: { type: "expire" },
      },
      {
        rulePriority: 2,
        description: `Keep the newest ${keepTaggedImages} images`,
        selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: keepTaggedImages },
        action: { type: "expire" },
      },
    ],
  });
}

export interface ImageRepositorySettings {
  /** The repository's full name, e.g. `airflow-prod/airflow`. */
  readonly name: string;
  readonly kmsKeyArn: string;
  /** The lifecycle policy's JSON (imageLifecyclePolicy). */
  readonly lifecyclePolicy: string;
}

/**
 * One ECR repository as the platform keeps images: immutable tags (a tag always means the same
 * image, so a re-run reproduces and a new tag is what rolls a Deployment), scan on push, KMS
 * encryption with the platform's key, and a lifecycle. Creates `<id>` and `<id>-lifecycle` in
 * `scope` itself, so callers keep the Terraform addresses they had.
 */
export function createImageRepository(scope: Construct, id: string, settings: ImageRepositorySettings): EcrRepository {
  const repository = new EcrRepository(scope, id, {
    name: settings.name,
    imageTagMutability: "IMMUTABLE",
    imageScanningConfiguration: { scanOnPush: true },
    encryptionConfiguration: [{ encryptionType: "KMS", kmsKey: settings.kmsKeyArn }],
  });
  new EcrLifecyclePolicy(scope, `${id}-lifecycle`, { repository: repository.name, policy: settings.lifecyclePolicy });
  return repository;
}

/**
 * A repository's URL as ECR forms it, `<account>.dkr.ecr.<region>.amazonaws.com[.cn]/<name>`: a
 * plain string, so chart values that name it can be validated before any Terraform exists.
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/Registries.html
 */
export function ecrRepositoryUrl(location: { readonly accountId: string; readonly region: AwsRegion; readonly partition: AwsPartition }, name: string): string {
  return `${location.accountId}.dkr.ecr.${location.region}.${serviceDnsSuffix(location.partition)}/${name}`;
}

import { EcrLifecyclePolicy } from "@cdktf/provider-aws/lib/ecr-lifecycle-policy";
import { EcrRepository } from "@cdktf/provider-aws/lib/ecr-repository";
import { Construct } from "../core";
import type { Duration } from "../units";

export interface TaskImageRepositoriesProps {
  /** Repositories are created as `<namePrefix>/<name>`. */
  readonly namePrefix: string;
  readonly repositories: readonly string[];
  readonly kmsKeyArn: string;
  /**
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
 * ECR lifecycle rules: untagged layers expire first, then only the newest tagged images are kept.
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/LifecyclePolicies.html
 */
export function taskImageLifecyclePolicy(keepTaggedImages: number, expireUntaggedAfterDays: number): string {
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

/**
 * ECR repositories for the container images KubernetesPodOperator tasks run: immutable tags (a
 * tag always means the same code, so a re-run reproduces), scan on push, KMS encryption.
 */
export class TaskImageRepositories extends Construct {
  /** Repository URL by the short name given in props. */
  readonly repositoryUrls: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: TaskImageRepositoriesProps) {
    super(scope, id);
    const policy = taskImageLifecyclePolicy(props.keepTaggedImages ?? 50, props.expireUntaggedAfter?.toDays() ?? 14);
    const urls: Record<string, string> = {};
    for (const name of props.repositories) {
      const repository = new EcrRepository(this, name, {
        name: `${props.namePrefix}/${name}`,
        imageTagMutability: "IMMUTABLE",
        imageScanningConfiguration: { scanOnPush: true },
        encryptionConfiguration: [{ encryptionType: "KMS", kmsKey: props.kmsKeyArn }],
      });
      new EcrLifecyclePolicy(this, `${name}-lifecycle`, { repository: repository.name, policy });
      urls[name] = repository.repositoryUrl;
    }
    this.repositoryUrls = urls;
  }
}

import { Construct } from "../core";
import type { Duration } from "../../lib/units";
import { createImageRepository, imageLifecyclePolicy } from "./image-repository";

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
 * ECR repositories for the container images KubernetesPodOperator tasks run: immutable tags (a
 * tag always means the same code, so a re-run reproduces), scan on push, KMS encryption.
 */
export class TaskImageRepositories extends Construct {
  /** Repository URL by the short name given in props. */
  readonly repositoryUrls: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: TaskImageRepositoriesProps) {
    super(scope, id);
    const lifecyclePolicy = imageLifecyclePolicy(props.keepTaggedImages ?? 50, props.expireUntaggedAfter?.toDays() ?? 14);
    const urls: Record<string, string> = {};
    for (const name of props.repositories) {
      const repository = createImageRepository(this, name, { name: `${props.namePrefix}/${name}`, kmsKeyArn: props.kmsKeyArn, lifecyclePolicy });
      urls[name] = repository.repositoryUrl;
    }
    this.repositoryUrls = urls;
  }
}

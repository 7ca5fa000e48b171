import { isAbsolute, join } from "node:path";
import { LocalBackend, S3Backend, type TerraformStack } from "../constructs/core";
import type { StateBackendSettings } from "../configuration/schema/environment";

/**
 * Local state for the offline default; S3 for shared environments, encrypted with a KMS key and
 * locked with S3's own lock file (no DynamoDB table).
 * @see https://developer.hashicorp.com/terraform/language/backend/s3
 */
export function configureStateBackend(stack: TerraformStack, stackName: string, backend: StateBackendSettings): void {
  if (backend.kind === "local") {
    // Terraform runs in cdktf.out/stacks/<stack>; a relative directory is taken from the project
    // root, three levels up, so state survives a fresh synth and is the same on every machine.
    const file = `${stackName}.tfstate`;
    const path = isAbsolute(backend.directory) ? join(backend.directory, file) : join("../../..", backend.directory, file);
    new LocalBackend(stack, { path });
    return;
  }
  const s3 = new S3Backend(stack, {
    bucket: backend.bucket,
    key: `${backend.keyPrefix}/${stackName}.tfstate`,
    region: backend.region,
    encrypt: true,
    kmsKeyId: backend.kmsKeyId,
  });
  // cdktf 0.21's S3Backend has no `use_lockfile` field (Terraform ≥ 1.10 has); set it directly.
  s3.addOverride("use_lockfile", true);
}

import { isAbsolute, join } from "node:path";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { LocalBackend, S3Backend, type S3BackendConfig, type TerraformStack } from "../constructs/core";
import type { OwnState } from "../constructs/database/deployed-generation";
import type { StateBackendSettings } from "../configuration/schema/environment";

/**
 * Local state for the offline default; S3 for shared environments, encrypted with a KMS key and
 * locked with S3's own lock file (no DynamoDB table).
 * @see https://developer.hashicorp.com/terraform/language/backend/s3
 */
export function configureStateBackend(stack: TerraformStack, stackName: string, backend: StateBackendSettings): void {
  if (backend.kind === "local") {
    new LocalBackend(stack, { path: localStatePath(stackName, backend.directory) });
    return;
  }
  const s3 = new S3Backend(stack, s3BackendConfig(stackName, backend));
  // cdktf 0.21's S3Backend has no `use_lockfile` field (Terraform ≥ 1.10 has); set it directly.
  s3.addOverride("use_lockfile", true);
}

/**
 * The stack's own backend, for a stack that reads its previous state at plan time (the deployed
 * password generation): the same settings, and on S3 a provider in the state bucket's region to
 * see whether the state exists yet.
 */
export function ownState(stack: TerraformStack, stackName: string, backend: StateBackendSettings, accountId: string): OwnState {
  if (backend.kind === "local") return { kind: "local", path: localStatePath(stackName, backend.directory) };
  const provider = new AwsProvider(stack, "aws-state-bucket", { alias: "state-bucket", region: backend.region, allowedAccountIds: [accountId] });
  return { kind: "s3", config: s3BackendConfig(stackName, backend), useLockfile: true, provider };
}

/**
 * Terraform runs in cdktf.out/stacks/<stack>; a relative directory is taken from the project root,
 * three levels up, so state survives a fresh synth and is the same on every machine.
 */
function localStatePath(stackName: string, directory: string): string {
  const file = `${stackName}.tfstate`;
  return isAbsolute(directory) ? join(directory, file) : join("../../..", directory, file);
}

function s3BackendConfig(stackName: string, backend: Extract<StateBackendSettings, { kind: "s3" }>): S3BackendConfig {
  return { bucket: backend.bucket, key: `${backend.keyPrefix}/${stackName}.tfstate`, region: backend.region, encrypt: true, kmsKeyId: backend.kmsKeyId };
}

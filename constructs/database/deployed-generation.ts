import { DataAwsS3Objects } from "@cdktf/provider-aws/lib/data-aws-s3-objects";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import {
  Construct,
  DataResource,
  DataTerraformRemoteStateLocal,
  DataTerraformRemoteStateS3,
  TerraformOutput,
  type ITerraformDependable,
  type S3BackendConfig,
} from "../core";
import { AIRFLOW_LOGIN_ROLES } from "./airflow-roles";

// `database.airflowPasswordGeneration` may move by one per deploy (a rotation or a revert), and
// Terraform knows the deployed generation at plan time: this stack's own state records it. So a
// change by more than one is refused when Terraform plans, before any random_password is replaced.
// - The record: a terraform_data holding the generation, applied only after the bootstrap Job and
//   PgBouncer's config Secrets (`deployedAfter`), read back through the output below. An output of
//   the plain number would not do: Terraform writes outputs that depend on nothing even when the
//   apply fails, so a refused Job would leave the new generation recorded (measured with
//   Terraform 1.11.4; test/terraform/generation-plan.test.ts).
// - The read: a terraform_remote_state of this stack's own backend. Terraform fails it when no
//   state is stored (its `defaults` do not help then), so it is read only when the state exists:
//   on S3 when the state object is listed, locally when the file is there and not empty (the
//   local backend creates it empty to lock it). A state with no record (a first deploy, or one an
//   earlier version of the project wrote) lets any generation through: the Job's own guard
//   (generation-guard.ts) stays the safety net.

/**
 * The stack's root output that records the deployed generation. Not a secret; named without
 * "password" so the policy suite's sensitive-marked rule does not take it for one.
 */
export const DEPLOYED_GENERATION_OUTPUT = "deployed_login_generation";

const FIELD = "database.airflowPasswordGeneration";
/** SHA-256 of an empty file: the local backend's state file before its first write. */
const EMPTY_FILE_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/** Where this stack's own state is: the same settings as its backend. */
export type OwnState =
  | { readonly kind: "local"; readonly path: string }
  | { readonly kind: "s3"; readonly config: S3BackendConfig; readonly useLockfile: boolean; readonly provider: AwsProvider };

export interface DeployedGenerationCheckProps {
  readonly generation: number;
  /** For the message: the environment whose configuration holds the field. */
  readonly environment: string;
  readonly ownState: OwnState;
  /** The generation is recorded only once these are applied: the bootstrap Job, PgBouncer's config. */
  readonly deployedAfter: ITerraformDependable[];
}

export class DeployedGenerationCheck extends Construct {
  constructor(scope: Construct, id: string, props: DeployedGenerationCheckProps) {
    super(scope, id);
    const record = new DataResource(this, "record", { input: { generation: props.generation }, dependsOn: props.deployedAfter });
    new TerraformOutput(this, "output", {
      value: `\${${record.fqn}.output.generation}`,
      description: `The ${FIELD} last deployed with its bootstrap Job and PgBouncer config; read back at plan time`,
    }).overrideLogicalId(DEPLOYED_GENERATION_OUTPUT);
    const deployed = this.readDeployed(props.ownState);
    new DataResource(this, "check", {
      input: { requested: props.generation },
      lifecycle: { precondition: [{ condition: `\${${deployed} == null ? true : abs(${props.generation} - ${deployed}) <= 1}`, errorMessage: refusal(props, deployed) }] },
    });
  }

  /** An HCL expression: the recorded generation, or null. */
  private readDeployed(own: OwnState): string {
    let state: DataTerraformRemoteStateLocal | DataTerraformRemoteStateS3;
    if (own.kind === "local") {
      state = new DataTerraformRemoteStateLocal(this, "own-state", { path: own.path });
      state.addOverride("count", `\${try(filesha256(${JSON.stringify(own.path)}), "${EMPTY_FILE_SHA256}") != "${EMPTY_FILE_SHA256}" ? 1 : 0}`);
    } else {
      const listed = new DataAwsS3Objects(this, "own-state-object", { provider: own.provider, bucket: own.config.bucket, prefix: own.config.key });
      state = new DataTerraformRemoteStateS3(this, "own-state", { ...own.config });
      if (own.useLockfile) state.addOverride("config.use_lockfile", true);
      state.addOverride("count", `\${contains(${listed.fqn}.keys, ${JSON.stringify(own.config.key)}) ? 1 : 0}`);
    }
    // Set directly: cdktf 0.21 cannot synthesize a null inside `defaults`.
    state.addOverride("defaults", { [DEPLOYED_GENERATION_OUTPUT]: null });
    return `one(${state.fqn}[*].outputs.${DEPLOYED_GENERATION_OUTPUT})`;
  }
}

/** Field, environment, what was given, what is deployed and what would be right. */
function refusal(props: DeployedGenerationCheckProps, recorded: string): string {
  // Terraform evaluates the message even when the condition holds, so it must not fail on null.
  const deployed = `coalesce(${recorded}, 0)`;
  const logins = `[${AIRFLOW_LOGIN_ROLES.map((role) => JSON.stringify(role)).join(", ")}]`;
  return [
    `${FIELD} in environment ${props.environment}: ${props.generation} was given, but generation \${${deployed}} is deployed`,
    ` (this stack's Terraform state records it), where PgBouncer logs in as \${${logins}[${deployed} % 2]}.`,
    ` A change of more than one would give that login a new password while PgBouncer uses it.`,
    ` Set ${FIELD} to \${${deployed} + 1} (a rotation)\${${deployed} > 0 ? format(" or %d (a revert)", ${deployed} - 1) : ""}`,
    ` and deploy; to move further, deploy one step at a time. Nothing was changed.`,
  ].join("");
}

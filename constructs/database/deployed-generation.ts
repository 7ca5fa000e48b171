import { DataAwsS3Objects } from "@cdktf/provider-aws/lib/data-aws-s3-objects";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import {
  Construct,
  DataResource,
  DataTerraformRemoteStateLocal,
  DataTerraformRemoteStateS3,
  TerraformOutput,
  type ITerraformDependable,
  type Precondition,
  type S3BackendConfig,
  type TerraformResource,
} from "../core";
import { AIRFLOW_LOGIN_ROLES, type AirflowLoginRole } from "./airflow-roles";

// `database.airflowPasswordGeneration` may move by one per deploy (a rotation or a revert), and
// Terraform knows the deployed generation at plan time: this stack's own state records it. So,
// when Terraform plans, before any random_password is replaced, it refuses
// - a change by more than one (the login PgBouncer uses would get a new password), and
// - the deployed n again when an apply that failed since (a revert, say) replaced the password of
//   the login PgBouncer uses in state: the bootstrap would have to set it while it is in use.
// How:
// - The record: a terraform_data holding the generation and each login's password epoch, applied
//   only after the bootstrap Job and PgBouncer's config Secrets (`deployedAfter`), read back
//   through the outputs below. An output of the plain number would not do: Terraform writes
//   outputs that depend on nothing even when the apply fails, so a refused Job would leave the new
//   generation recorded (measured with Terraform 1.11.4; test/terraform/generation-plan.test.ts).
// - An epoch per login: a terraform_data replaced with its random_password, so its id changes
//   with every new password. Its current value is an output written even when the Job fails.
// - The read: a terraform_remote_state of this stack's own backend. Terraform fails it when no
//   state is stored (its `defaults` do not help then), so it is read only when the state exists:
//   on S3 when the state object is listed, locally when the file is there and not empty (the
//   local backend creates it empty to lock it). A state with no record (a first deploy, or one an
//   earlier version of the project wrote) lets any generation through: the Job's own guard
//   (generation-guard.ts) stays the safety net, and for what only the database knows (whether
//   PgBouncer has moved off a login).

/**
 * The stack's root output that records the deployed generation. Not a secret; named without
 * "password" so the policy suite's sensitive-marked rule does not take it for one.
 */
export const DEPLOYED_GENERATION_OUTPUT = "deployed_login_generation";
/** Per login, the epoch its password had when that generation was deployed. */
export const DEPLOYED_EPOCHS_OUTPUT = "deployed_login_epochs";
/** Per login, the epoch of its password in state now: written even by an apply that failed later. */
export const CURRENT_EPOCHS_OUTPUT = "login_epochs";

const FIELD = "database.airflowPasswordGeneration";
/** SHA-256 of an empty file: the local backend's state file before its first write. */
const EMPTY_FILE_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
const LOGINS = `[${AIRFLOW_LOGIN_ROLES.map((role) => JSON.stringify(role)).join(", ")}]`;

/** Where this stack's own state is: the same settings as its backend. */
export type OwnState =
  | { readonly kind: "local"; readonly path: string }
  | { readonly kind: "s3"; readonly config: S3BackendConfig; readonly useLockfile: boolean; readonly provider: AwsProvider };

export interface DeployedGenerationCheckProps {
  readonly generation: number;
  /** For the message: the environment whose configuration holds the field. */
  readonly environment: string;
  readonly ownState: OwnState;
  /** The logins' random_password resources. */
  readonly loginPasswords: Readonly<Record<AirflowLoginRole, TerraformResource>>;
  /** The generation is recorded only once these are applied: the bootstrap Job, PgBouncer's config. */
  readonly deployedAfter: ITerraformDependable[];
}

/** HCL expressions over the previous state; each null when it does not say. */
interface Recorded {
  readonly generation: string;
  readonly deployedEpochs: string;
  readonly currentEpochs: string;
}

export class DeployedGenerationCheck extends Construct {
  constructor(scope: Construct, id: string, props: DeployedGenerationCheckProps) {
    super(scope, id);
    // An epoch is a terraform_data replaced with its login's random_password, so its id changes
    // with every new password, even one a later keeper change gives the same keeper again.
    const epochs = AIRFLOW_LOGIN_ROLES.map((role) => {
      const password = props.loginPasswords[role];
      const epoch = new DataResource(this, `${role}-epoch`, { dependsOn: [password] });
      // A bare address: cdktf 0.21 writes replaceTriggeredBy as "${…}", which Terraform's JSON syntax refuses.
      epoch.addOverride("lifecycle.replace_triggered_by", [`${password.terraformResourceType}.${password.friendlyUniqueId}`]);
      return `${role} = ${epoch.fqn}.id`;
    });
    const epochsNow = `\${{ ${epochs.join(", ")} }}`;
    const record = new DataResource(this, "record", { input: { generation: props.generation, epochs: epochsNow }, dependsOn: props.deployedAfter });
    const output = (name: string, value: string, description: string) => new TerraformOutput(this, name, { value, description }).overrideLogicalId(name);
    output(DEPLOYED_GENERATION_OUTPUT, `\${${record.fqn}.output.generation}`, `The ${FIELD} last deployed with its bootstrap Job and PgBouncer config; read back at plan time`);
    output(DEPLOYED_EPOCHS_OUTPUT, `\${${record.fqn}.output.epochs}`, "Each login's password epoch at that deploy");
    output(CURRENT_EPOCHS_OUTPUT, epochsNow, "Each login's password epoch in state");
    const recorded = this.readRecorded(props.ownState);
    new DataResource(this, "check", {
      input: { requested: props.generation },
      lifecycle: { precondition: [jumpRefusal(props, recorded.generation), replacedRefusal(props, recorded)] },
    });
  }

  private readRecorded(own: OwnState): Recorded {
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
    const names = [DEPLOYED_GENERATION_OUTPUT, DEPLOYED_EPOCHS_OUTPUT, CURRENT_EPOCHS_OUTPUT];
    // Set directly: cdktf 0.21 cannot synthesize a null inside `defaults`.
    state.addOverride("defaults", Object.fromEntries(names.map((name) => [name, null])));
    const read = (name: string) => `one(${state.fqn}[*].outputs.${name})`;
    return { generation: read(DEPLOYED_GENERATION_OUTPUT), deployedEpochs: read(DEPLOYED_EPOCHS_OUTPUT), currentEpochs: read(CURRENT_EPOCHS_OUTPUT) };
  }
}

/** n → n ± k, |k| > 1: the login PgBouncer uses would get a new password. */
function jumpRefusal(props: DeployedGenerationCheckProps, recorded: string): Precondition {
  // Terraform evaluates the message even when the condition holds, so it must not fail on null.
  const deployed = `coalesce(${recorded}, 0)`;
  return {
    condition: `\${${recorded} == null ? true : abs(${props.generation} - ${recorded}) <= 1}`,
    errorMessage: [
      `${FIELD} in environment ${props.environment}: ${props.generation} was given, but generation \${${deployed}} is deployed`,
      ` (this stack's Terraform state records it), where PgBouncer logs in as \${${LOGINS}[${deployed} % 2]}.`,
      ` A change of more than one would give that login a new password while PgBouncer uses it.`,
      ` Set ${FIELD} to \${${deployed} + 1} (a rotation)\${${deployed} > 0 ? format(" or %d (a revert)", ${deployed} - 1) : ""}`,
      ` and deploy; to move further, deploy one step at a time. Nothing was changed.`,
    ].join(""),
  };
}

/**
 * n again, after an apply that failed (a revert, say) replaced the in-use login's password in
 * state: the bootstrap would have to set it while PgBouncer uses it.
 */
function replacedRefusal(props: DeployedGenerationCheckProps, recorded: Recorded): Precondition {
  const login = `${LOGINS}[${props.generation % 2}]`;
  const replaced = `try(${recorded.deployedEpochs}[${login}] != ${recorded.currentEpochs}[${login}], false)`;
  return {
    condition: `\${!(coalesce(${recorded.generation}, -1) == ${props.generation} && ${replaced})}`,
    errorMessage: [
      `${FIELD} in environment ${props.environment}: generation ${props.generation} is deployed, but an apply that failed since`,
      ` gave ${AIRFLOW_LOGIN_ROLES[props.generation % 2]}, the login PgBouncer uses, a new password in this stack's Terraform state;`,
      ` deploying ${props.generation} again would set it while PgBouncer uses it.`,
      ` Set ${FIELD} to ${props.generation + 1} (a rotation) and deploy. Nothing was changed.`,
    ].join(""),
  };
}

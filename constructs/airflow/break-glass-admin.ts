import { SecretsmanagerSecret } from "@cdktf/provider-aws/lib/secretsmanager-secret";
import { SecretsmanagerSecretVersion } from "@cdktf/provider-aws/lib/secretsmanager-secret-version";
import { SecretV1 } from "@cdktf/provider-kubernetes/lib/secret-v1";
import { Password } from "@cdktf/provider-random/lib/password";
import { Construct, Fn, type ITerraformDependable } from "../core";

/** The key of the break-glass Secret the chart's user job reads the password from. */
export const BREAK_GLASS_PASSWORD_KEY = "password";

/**
 * What the chart's user job runs (through bash, with the username and password in its env):
 * create the admin if it is missing, then set its password to the one in Secrets Manager, so the
 * job is idempotent and a new password reaches Airflow with the next deploy. `users create` exits
 * 0 when the user exists; anything else failing fails the job, and so the apply.
 * @see https://airflow.apache.org/docs/apache-airflow-providers-fab/stable/cli-ref.html#users
 */
export const BREAK_GLASS_SCRIPT = [
  "set -euo pipefail",
  // The password reaches Airflow on standard input (its prompt and the confirmation), never on a
  // command line, where any process of the pod could read it in /proc/<pid>/cmdline. printf is
  // bash's builtin: no process of its own either.
  "password_twice() { printf '%s\\n%s\\n' \"$BREAK_GLASS_PASSWORD\" \"$BREAK_GLASS_PASSWORD\"; }",
  'password_twice | airflow users create --role Admin --username "$BREAK_GLASS_USERNAME" --email "$BREAK_GLASS_USERNAME@airflow.invalid" --firstname Break --lastname Glass',
  'password_twice | airflow users reset-password --username "$BREAK_GLASS_USERNAME"',
].join("\n");

/** The user job's args in place of the chart's default (which creates admin/admin). */
export function breakGlassUserArgs(): string[] {
  return ["bash", "-c", BREAK_GLASS_SCRIPT];
}

export interface BreakGlassAdminProps {
  readonly namespace: string;
  readonly username: string;
  /** The Kubernetes Secret the user job reads, e.g. `airflow-break-glass-admin`. */
  readonly secretName: string;
  /** Secrets Manager name of the copy operators read, e.g. `airflow-prod/airflow-break-glass-admin`. */
  readonly secretsManagerName: string;
  readonly kmsKeyArn: string;
}

/**
 * An administrator for when the identity provider is down, with no shared default password: a
 * generated password kept in Secrets Manager (where an operator with the right IAM access reads
 * it) and in the Kubernetes Secret the chart's user job creates the account from.
 */
export class BreakGlassAdmin extends Construct {
  readonly secretsManagerArn: string;
  /** The Kubernetes Secret, which the release (its user job) must wait for. */
  readonly secret: ITerraformDependable;

  constructor(scope: Construct, id: string, props: BreakGlassAdminProps) {
    super(scope, id);
    const password = new Password(this, "password", { length: 32, special: false });
    const stored = new SecretsmanagerSecret(this, "stored", {
      name: props.secretsManagerName,
      description: `Airflow break-glass administrator (${props.username}): for when single sign-on is down`,
      kmsKeyId: props.kmsKeyArn,
      recoveryWindowInDays: 7,
    });
    new SecretsmanagerSecretVersion(this, "stored-version", {
      secretId: stored.id,
      secretString: Fn.jsonencode({ username: props.username, password: password.result }),
    });
    this.secret = new SecretV1(this, "secret", {
      metadata: { name: props.secretName, namespace: props.namespace },
      type: "Opaque",
      data: { [BREAK_GLASS_PASSWORD_KEY]: password.result },
    });
    this.secretsManagerArn = stored.arn;
  }
}

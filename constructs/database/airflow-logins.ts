import { SecretsmanagerSecret } from "@cdktf/provider-aws/lib/secretsmanager-secret";
import { SecretsmanagerSecretVersion } from "@cdktf/provider-aws/lib/secretsmanager-secret-version";
import { Password } from "@cdktf/provider-random/lib/password";
import { PGBOUNCER_CLIENT_USER, PGBOUNCER_STATS_USER } from "../airflow/pgbouncer-config";
import { Construct, Fn } from "../core";
import { activeLoginRole, AIRFLOW_LOGIN_ROLES, loginPasswordGenerations, type AirflowLoginRole } from "./airflow-roles";

export interface AirflowDatabaseLoginsProps {
  /** Secrets Manager name of the copy, e.g. `airflow-prod/airflow-database-logins`. */
  readonly secretsManagerName: string;
  /** The key Airflow's secrets are encrypted with in Secrets Manager. */
  readonly kmsKeyArn: string;
  /**
   * `database.airflowPasswordGeneration`: bumping it by one renews the password of the login
   * PgBouncer does not use and makes that login the active one.
   * @see constructs/database/airflow-roles.ts
   */
  readonly passwordGeneration: number;
}

/**
 * Every password on Airflow's path to its database, generated here and kept in Secrets Manager
 * (KMS) like Airflow's other secrets: the two database logins', PgBouncer's client login's and
 * its stats login's. They are also in this stack's Terraform state, which shared environments
 * keep in S3 encrypted with a KMS key and readable by the deploy role only. The RDS master
 * password is not among them: only the bootstrap Job reads it, from its own secret.
 */
export class AirflowDatabaseLogins extends Construct {
  /** The login PgBouncer uses at this generation. */
  readonly activeLogin: AirflowLoginRole;
  /** Each login role's password (a Terraform token). */
  readonly passwords: Readonly<Record<AirflowLoginRole, string>>;
  /** Each login role's random_password resource: replaced whenever its keeper changes. */
  readonly passwordResources: Readonly<Record<AirflowLoginRole, Password>>;
  readonly clientPassword: string;
  readonly statsPassword: string;
  /** Changes with every password change and never reveals one: the Secrets Manager version id. */
  readonly version: string;

  constructor(scope: Construct, id: string, props: AirflowDatabaseLoginsProps) {
    super(scope, id);
    const generations = loginPasswordGenerations(props.passwordGeneration);
    const resource = (name: string, keepers?: Record<string, string>) => new Password(this, name, { length: 48, special: false, keepers });
    const password = (name: string) => resource(name).result;
    const passwordResources = Object.fromEntries(
      AIRFLOW_LOGIN_ROLES.map((role) => [role, resource(`${role}-password`, { generation: String(generations[role]) })]),
    ) as Record<AirflowLoginRole, Password>;
    const passwords = Object.fromEntries(AIRFLOW_LOGIN_ROLES.map((role) => [role, passwordResources[role].result])) as Record<AirflowLoginRole, string>;
    const clientPassword = password("pgbouncer-client-password");
    const statsPassword = password("pgbouncer-stats-password");
    const stored = new SecretsmanagerSecret(this, "stored", {
      name: props.secretsManagerName,
      description: "Airflow's database logins and PgBouncer's client and stats logins (managed by airflow-platform)",
      kmsKeyId: props.kmsKeyArn,
      recoveryWindowInDays: 30,
    });
    const version = new SecretsmanagerSecretVersion(this, "stored-version", {
      secretId: stored.id,
      secretString: Fn.jsonencode({ ...passwords, [PGBOUNCER_CLIENT_USER]: clientPassword, [PGBOUNCER_STATS_USER]: statsPassword }),
    });
    this.activeLogin = activeLoginRole(props.passwordGeneration);
    this.passwords = passwords;
    this.passwordResources = passwordResources;
    this.clientPassword = clientPassword;
    this.statsPassword = statsPassword;
    this.version = version.versionId;
  }
}

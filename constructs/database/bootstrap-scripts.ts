// The two shell scripts of the bootstrap Job. The first runs in the AWS CLI image and reads the
// RDS-managed master secret from Secrets Manager with the Job's IRSA role; the second runs in the
// PostgreSQL client image and applies bootstrap.sql as that user. They share the master
// credentials through a memory-backed emptyDir, so the master password is never in a Kubernetes
// Secret, in Terraform state or on a disk. Paths come from the environment (the Job sets them),
// so the tests run these very scripts against a local server.

/** Environment variables the Job sets for the scripts. */
export const BOOTSTRAP_ENV = {
  /** ARN of the RDS-managed master secret (read by the first script). */
  masterSecretArn: "MASTER_SECRET_ARN",
  /** Directory where the first script writes `username` and `password` for the second. */
  masterCredentialsDir: "MASTER_CREDENTIALS_DIR",
  /** Directory holding the active login's password in a file named `password`. */
  loginPasswordsDir: "LOGIN_PASSWORDS_DIR",
  /** The login PgBouncer uses at the generation deployed (activeLoginRole). */
  activeLogin: "ACTIVE_LOGIN",
  /** Path of bootstrap.sql. */
  sqlFile: "BOOTSTRAP_SQL",
} as const;

/**
 * Reads the master secret (`{"username": …, "password": …}`) and writes its two fields, each to
 * a file only this user can read. `jq` is in the AWS CLI image (its Dockerfile installs it).
 * @see https://github.com/aws/aws-cli/blob/v2/docker/Dockerfile
 */
export function readMasterSecretScript(): string {
  const env = BOOTSTRAP_ENV;
  return [
    "set -eu",
    "umask 077",
    `secret=$(aws secretsmanager get-secret-value --secret-id "$${env.masterSecretArn}" --query SecretString --output text)`,
    `printf '%s' "$secret" | jq -ej '.username | strings' > "$${env.masterCredentialsDir}/username"`,
    `printf '%s' "$secret" | jq -ej '.password | strings' > "$${env.masterCredentialsDir}/password"`,
    `echo "read the master credentials of $(cat "$${env.masterCredentialsDir}/username")"`,
    "",
  ].join("\n");
}

/**
 * Runs bootstrap.sql as the master user over verified TLS (RDS forces TLS; verify-full checks
 * the certificate against the RDS bundle and the host name). First it tries the active
 * login's password from Terraform's state against the database (a login as that role): if it
 * works, the database has it already and the SQL leaves it alone; if not, the SQL may set it
 * only when that is safe (generation-guard.ts). psql's `\password` reads it twice from standard
 * input: a pod has no terminal. PGHOST, PGPORT and PGDATABASE come from the Job.
 */
export function bootstrapShellScript(): string {
  const env = BOOTSTRAP_ENV;
  return [
    "set -eu",
    `PGUSER=$(cat "$${env.masterCredentialsDir}/username")`,
    `PGPASSWORD=$(cat "$${env.masterCredentialsDir}/password")`,
    "export PGUSER PGPASSWORD",
    // PGSSLROOTCERT (the RDS CA bundle) comes from the Job: the certificate must chain to it and name PGHOST.
    "export PGSSLMODE=verify-full PGCONNECT_TIMEOUT=10 PGAPPNAME=airflow-db-bootstrap",
    `password=$(cat "$${env.loginPasswordsDir}/password")`,
    `if PGUSER="$${env.activeLogin}" PGPASSWORD="$password" psql -X -q -At -c 'SELECT 1' >/dev/null 2>&1; then current=on; else current=off; fi`,
    `printf '%s\n%s\n' "$password" "$password" | psql -X -q -v ON_ERROR_STOP=1 -v active_password_current="$current" -f "$${env.sqlFile}"`,
    `echo "Airflow's database roles are in place on $PGHOST/$PGDATABASE, PgBouncer's login $${env.activeLogin}"`,
    "",
  ].join("\n");
}

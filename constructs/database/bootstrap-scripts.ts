import { AIRFLOW_LOGIN_ROLES } from "./airflow-roles";

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
  /** Directory holding one file per login role, named after it, with its password. */
  loginPasswordsDir: "LOGIN_PASSWORDS_DIR",
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
 * Runs bootstrap.sql as the master user over TLS (RDS forces it), feeding psql's `\password`
 * each login's password twice on standard input: a pod has no terminal, so psql reads it there.
 * PGHOST, PGPORT and PGDATABASE come from the Job.
 */
export function bootstrapShellScript(): string {
  const env = BOOTSTRAP_ENV;
  return [
    "set -eu",
    `PGUSER=$(cat "$${env.masterCredentialsDir}/username")`,
    `PGPASSWORD=$(cat "$${env.masterCredentialsDir}/password")`,
    "export PGUSER PGPASSWORD",
    "export PGSSLMODE=require PGCONNECT_TIMEOUT=10 PGAPPNAME=airflow-db-bootstrap",
    `for role in ${AIRFLOW_LOGIN_ROLES.join(" ")}; do`,
    `  password=$(cat "$${env.loginPasswordsDir}/$role")`,
    `  printf '%s\\n%s\\n' "$password" "$password"`,
    `done | psql -X -q -v ON_ERROR_STOP=1 -f "$${env.sqlFile}"`,
    `echo "Airflow's database roles are in place on $PGHOST/$PGDATABASE"`,
    "",
  ].join("\n");
}

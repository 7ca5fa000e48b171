import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { activeLoginRole, type AirflowLoginRole } from "../../constructs/database/airflow-roles";
import { bootstrapShellScript, BOOTSTRAP_ENV, readMasterSecretScript } from "../../constructs/database/bootstrap-scripts";
import { bootstrapSql } from "../../constructs/database/bootstrap-sql";
import type { RdsLikePostgres } from "./real-postgres";
import { tempDir } from "./temp";

// The bootstrap Job, minus Kubernetes: its two scripts and its SQL exactly as the project
// produces them, run in order with the Job's environment (environment name "test"). Only the AWS CLI is replaced, by a
// stand-in that answers the one call the first script makes with the secret RDS would store.

const MASTER_SECRET_ARN = "arn:aws:secretsmanager:eu-west-1:111111111111:secret:rds!db-0000-test";

export interface BootstrapResult {
  readonly readSecret: SpawnSyncReturns<string>;
  readonly bootstrap: SpawnSyncReturns<string>;
}

export function runBootstrap(
  server: RdsLikePostgres,
  request: { readonly generation: number; readonly passwords: Readonly<Record<AirflowLoginRole, string>> },
  master: { readonly user: string; readonly password: string } = { user: server.masterUser, password: server.masterPassword },
  tls: { readonly caFile?: string; readonly host?: string } = {},
): BootstrapResult {
  const dir = tempDir("bootstrap");
  const bin = join(dir, "bin");
  const credentials = join(dir, "master-credentials");
  const logins = join(dir, "logins");
  for (const d of [bin, credentials, logins]) mkdirSync(d);
  // What RDS keeps in its managed secret: a JSON object with the user and the password.
  writeFileSync(join(dir, "secret.json"), JSON.stringify({ username: master.user, password: master.password }));
  writeFileSync(
    join(bin, "aws"),
    [
      "#!/bin/sh",
      `[ "$*" = "secretsmanager get-secret-value --secret-id ${MASTER_SECRET_ARN} --query SecretString --output text" ] || { echo "unexpected: aws $*" >&2; exit 2; }`,
      `cat '${join(dir, "secret.json")}'`,
      "",
    ].join("\n"),
  );
  chmodSync(join(bin, "aws"), 0o755);
  // As the stack does: the Job gets the active login's password only.
  const active = activeLoginRole(request.generation);
  writeFileSync(join(logins, "password"), request.passwords[active], { mode: 0o400 });
  writeFileSync(join(dir, "bootstrap.sql"), bootstrapSql({ databaseName: server.databaseName, generation: request.generation, environment: "test" }));
  writeFileSync(join(dir, "bootstrap.sh"), bootstrapShellScript());

  const env = {
    PATH: `${bin}:${process.env.PATH ?? "/usr/bin:/bin"}`,
    [BOOTSTRAP_ENV.masterSecretArn]: MASTER_SECRET_ARN,
    [BOOTSTRAP_ENV.masterCredentialsDir]: credentials,
    [BOOTSTRAP_ENV.loginPasswordsDir]: logins,
    [BOOTSTRAP_ENV.activeLogin]: active,
    [BOOTSTRAP_ENV.sqlFile]: join(dir, "bootstrap.sql"),
    PGHOST: tls.host ?? "127.0.0.1",
    PGPORT: String(server.port),
    PGDATABASE: server.databaseName,
    // As the Job sets it to the RDS bundle: the authority PostgreSQL's certificate comes from.
    PGSSLROOTCERT: tls.caFile ?? server.caFile,
  };
  const readSecret = spawnSync("/bin/sh", ["-c", readMasterSecretScript()], { encoding: "utf8", env, timeout: 30_000 });
  // A new session has no controlling terminal, as in a pod: psql's \password reads standard input.
  const bootstrap =
    readSecret.status === 0
      ? spawnSync("/usr/bin/setsid", ["--wait", "/bin/sh", join(dir, "bootstrap.sh")], { encoding: "utf8", env, timeout: 60_000 })
      : readSecret;
  return { readSecret, bootstrap };
}

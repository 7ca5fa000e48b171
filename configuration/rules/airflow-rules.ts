import { parseArn } from "../../constructs/iam/arn";
import type { RuleViolation } from "../common/rule-violation";
import type { ParsedEnvironment } from "../schema/environment";

/**
 * Connections kept free on the database beyond PgBouncer's pools: PostgreSQL's
 * `superuser_reserved_connections` (3) and RDS's own reserved slots (2), plus 15 for the schema
 * migration job, the database bootstrap Job, the monitoring agent and an operator's psql session
 * during an incident.
 */
export const DATABASE_CONNECTION_RESERVE = 20;

/**
 * Server-side connections PgBouncer can open against the metadata database: one pool per
 * replica. A rotation of Airflow's password does not add to it: PgBouncer closes each connection
 * of the old login before the pool opens one with the new.
 */
export function pgbouncerServerConnections(pgbouncer: Pick<ParsedEnvironment["airflow"]["pgbouncer"], "replicas" | "metadataPoolSize">): number {
  return pgbouncer.replicas * pgbouncer.metadataPoolSize;
}

/** Rules that tie the Airflow section to itself and to the database it runs on. */
export function checkAirflowRules(env: ParsedEnvironment): RuleViolation[] {
  const { airflow, database } = env;
  const found: RuleViolation[] = [];
  const pooled = pgbouncerServerConnections(airflow.pgbouncer);
  if (pooled + DATABASE_CONNECTION_RESERVE > database.maxConnections) {
    found.push({
      path: ["airflow", "pgbouncer", "metadataPoolSize"],
      given: airflow.pgbouncer.metadataPoolSize,
      allowed:
        `PgBouncer's server pools (${airflow.pgbouncer.replicas} replicas × ${airflow.pgbouncer.metadataPoolSize} = ${pooled}) ` +
        `plus a reserve of ${DATABASE_CONNECTION_RESERVE} ` +
        `must fit in database.maxConnections (${database.maxConnections})`,
    });
  }
  const git = airflow.gitSync;
  const ssh = !git.repository.startsWith("https://");
  if (ssh && !git.sshKeySecretName) {
    found.push({ path: ["airflow", "gitSync", "sshKeySecretName"], given: undefined, allowed: "the name of an existing Secret holding the deploy key as gitSshKey, for an SSH repository" });
  }
  if (ssh && !git.knownHosts?.trim()) {
    found.push({ path: ["airflow", "gitSync", "knownHosts"], given: git.knownHosts, allowed: "the Git host's known_hosts lines: host checking stays on" });
  }
  if (!ssh && git.sshKeySecretName) {
    found.push({ path: ["airflow", "gitSync", "sshKeySecretName"], given: git.sshKeySecretName, allowed: "no SSH key for an HTTPS repository (use credentialsSecretName)" });
  }
  const keySource = git.sshKeyFromSecretsManager;
  if (keySource && !ssh) {
    found.push({ path: ["airflow", "gitSync", "sshKeyFromSecretsManager"], given: keySource.secretArn, allowed: "no SSH key for an HTTPS repository (use credentialsSecretName)" });
  }
  const keyRegion = keySource && parseArn(keySource.secretArn)?.region;
  if (keySource && keyRegion !== env.account.region) {
    found.push({
      path: ["airflow", "gitSync", "sshKeyFromSecretsManager", "secretArn"],
      given: keySource.secretArn,
      allowed: `a secret in the environment's region (${env.account.region}), where the platform stack reads it`,
    });
  }
  const logs = env.logStorage;
  if (logs.retentionDays <= logs.transitionToInfrequentAccessDays) {
    found.push({
      path: ["logStorage", "retentionDays"],
      given: logs.retentionDays,
      allowed:
        `more than logStorage.transitionToInfrequentAccessDays (${logs.transitionToInfrequentAccessDays}): the log groomer deletes ` +
        `a log after ${logs.retentionDays} days, so the lifecycle would never move one to Infrequent Access`,
    });
  }
  if (airflow.namespace === airflow.taskNamespace) {
    found.push({ path: ["airflow", "taskNamespace"], given: airflow.taskNamespace, allowed: `a namespace other than Airflow's own (${airflow.namespace})` });
  }
  return found;
}

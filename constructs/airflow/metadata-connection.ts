import { DataAwsSecretsmanagerSecretVersion } from "@cdktf/provider-aws/lib/data-aws-secretsmanager-secret-version";
import { SecretV1 } from "@cdktf/provider-kubernetes/lib/secret-v1";
import { Password } from "@cdktf/provider-random/lib/password";
import { Construct, Fn, type ITerraformDependable } from "../core";
import { STATS_PASSWORD_KEY } from "../datadog/pgbouncer-check";
import { metadataConnectionUri, pgbouncerIni, pgbouncerUsers, PGBOUNCER_CLIENT_USER, PGBOUNCER_PORT } from "./pgbouncer-config";

export interface MetadataConnectionProps {
  readonly namespace: string;
  /** The Airflow release name: PgBouncer's service is `<release>-pgbouncer`. */
  readonly releaseName: string;
  readonly databaseHost: string;
  readonly databasePort: number;
  readonly databaseName: string;
  /** The RDS-managed Secrets Manager secret with `username` and `password`. */
  readonly masterSecretArn: string;
  readonly metadataPoolSize: number;
  readonly resultBackendPoolSize: number;
  readonly maxClientConnections: number;
}

/** Names of the Secrets this construct writes, for the chart's values. */
export function metadataSecretNames(releaseName: string) {
  return {
    metadata: `${releaseName}-metadata-connection`,
    pgbouncerConfig: `${releaseName}-pgbouncer-config`,
    pgbouncerStats: `${releaseName}-pgbouncer-stats-connection`,
  };
}

/**
 * The database credentials reach the cluster here, and only here. The master password is read
 * from the RDS-managed secret at apply time and written into PgBouncer's auth file only; Airflow
 * gets a PgBouncer login of its own (generated here, never rotated), in its connection Secret and
 * the exporter's stats connection. Neither appears in Helm values or synthesized JSON. Both land in
 * this stack's Terraform state, which is why staging and prod keep state in S3 encrypted with a
 * KMS key: the same people who can read that state can already read the secret. RDS rotates the
 * master password on the environment's schedule; applying this stack afterwards rewrites the auth
 * file and, through `credentialsVersion`, rolls PgBouncer (see PgbouncerRollout).
 */
export class MetadataConnection extends Construct {
  readonly secretNames: ReturnType<typeof metadataSecretNames>;
  /** The Kubernetes Secrets, which the release must wait for. */
  readonly secrets: readonly ITerraformDependable[];
  /** The master secret's version id: it changes with every rotation, and never reveals the password. */
  readonly credentialsVersion: string;

  constructor(scope: Construct, id: string, props: MetadataConnectionProps) {
    super(scope, id);
    const names = metadataSecretNames(props.releaseName);
    const master = new DataAwsSecretsmanagerSecretVersion(this, "master-secret", { secretId: props.masterSecretArn });
    const credentials = Fn.jsondecode(master.secretString);
    const server = { user: Fn.lookup(credentials, "username"), password: Fn.lookup(credentials, "password") };
    const client = { user: PGBOUNCER_CLIENT_USER, password: new Password(this, "pgbouncer-client-password", { length: 48, special: false }).result };
    const common = { type: "Opaque" };

    const metadata = new SecretV1(this, "metadata", {
      metadata: { name: names.metadata, namespace: props.namespace },
      ...common,
      data: {
        connection: metadataConnectionUri({
          user: client.user,
          encodedPassword: Fn.urlencode(client.password),
          releaseName: props.releaseName,
          namespace: props.namespace,
        }),
      },
    });
    const pgbouncerConfig = new SecretV1(this, "pgbouncer-config", {
      metadata: { name: names.pgbouncerConfig, namespace: props.namespace },
      ...common,
      data: {
        "pgbouncer.ini": pgbouncerIni({
          releaseName: props.releaseName,
          databaseHost: props.databaseHost,
          databasePort: props.databasePort,
          databaseName: props.databaseName,
          metadataPoolSize: props.metadataPoolSize,
          resultBackendPoolSize: props.resultBackendPoolSize,
          maxClientConnections: props.maxClientConnections,
          serverUser: server.user,
        }),
        "users.txt": pgbouncerUsers([client, server], (text) => Fn.replace(text, Fn.rawString('"'), Fn.rawString('""'))),
      },
    });
    const pgbouncerStats = new SecretV1(this, "pgbouncer-stats", {
      metadata: { name: names.pgbouncerStats, namespace: props.namespace },
      ...common,
      data: {
        connection: `postgresql://${client.user}:${Fn.urlencode(client.password)}@127.0.0.1:${PGBOUNCER_PORT}/pgbouncer?sslmode=disable`,
        // For the Datadog agent's PgBouncer check (constructs/datadog/pgbouncer-check.ts).
        [STATS_PASSWORD_KEY]: client.password,
      },
    });
    this.secretNames = names;
    this.secrets = [metadata, pgbouncerConfig, pgbouncerStats];
    this.credentialsVersion = master.versionId;
  }
}

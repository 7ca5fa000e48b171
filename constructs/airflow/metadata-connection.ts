import { DataAwsSecretsmanagerSecretVersion } from "@cdktf/provider-aws/lib/data-aws-secretsmanager-secret-version";
import { SecretV1 } from "@cdktf/provider-kubernetes/lib/secret-v1";
import { Construct, Fn, type ITerraformDependable } from "../core";
import { metadataConnectionUri, pgbouncerIni, pgbouncerUsers, PGBOUNCER_PORT } from "./pgbouncer-config";

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
 * The database credentials reach the cluster here, and only here. The password is read from the
 * RDS-managed secret at apply time and written into three Kubernetes Secrets (Airflow's
 * connection through PgBouncer, PgBouncer's config and users, the exporter's stats connection),
 * never into Helm values or synthesized JSON. It does land in this stack's Terraform state, which
 * is why staging and prod keep state in S3 encrypted with a KMS key: the same people who can read
 * that state can already read the secret. RDS rotates the master password (every 7 days by
 * default), so the platform stack must be applied after a rotation: see README.
 */
export class MetadataConnection extends Construct {
  readonly secretNames: ReturnType<typeof metadataSecretNames>;
  /** The Kubernetes Secrets, which the release must wait for. */
  readonly secrets: readonly ITerraformDependable[];

  constructor(scope: Construct, id: string, props: MetadataConnectionProps) {
    super(scope, id);
    const names = metadataSecretNames(props.releaseName);
    const master = new DataAwsSecretsmanagerSecretVersion(this, "master-secret", { secretId: props.masterSecretArn });
    const credentials = Fn.jsondecode(master.secretString);
    const user = Fn.lookup(credentials, "username");
    const password = Fn.lookup(credentials, "password");
    const common = { type: "Opaque" };

    const metadata = new SecretV1(this, "metadata", {
      metadata: { name: names.metadata, namespace: props.namespace },
      ...common,
      data: {
        connection: metadataConnectionUri({
          user,
          encodedPassword: Fn.urlencode(password),
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
          statsUser: user,
        }),
        "users.txt": pgbouncerUsers(user, password, (text) => Fn.replace(text, Fn.rawString('"'), Fn.rawString('""'))),
      },
    });
    const pgbouncerStats = new SecretV1(this, "pgbouncer-stats", {
      metadata: { name: names.pgbouncerStats, namespace: props.namespace },
      ...common,
      data: {
        connection: `postgresql://${user}:${Fn.urlencode(password)}@127.0.0.1:${PGBOUNCER_PORT}/pgbouncer?sslmode=disable`,
      },
    });
    this.secretNames = names;
    this.secrets = [metadata, pgbouncerConfig, pgbouncerStats];
  }
}

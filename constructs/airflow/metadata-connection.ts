import { SecretV1 } from "@cdktf/provider-kubernetes/lib/secret-v1";
import { Construct, Fn, type ITerraformDependable } from "../core";
import type { AirflowLoginRole } from "../database/airflow-roles";
import { STATS_PASSWORD_KEY } from "../datadog/pgbouncer-check";
import { metadataConnectionUri, pgbouncerConfigFiles, statsConnectionUri } from "./pgbouncer-config";

export interface MetadataConnectionProps {
  readonly namespace: string;
  /** The Airflow release name: PgBouncer's service is `<release>-pgbouncer`. */
  readonly releaseName: string;
  readonly databaseHost: string;
  readonly databasePort: number;
  readonly databaseName: string;
  readonly metadataPoolSize: number;
  readonly maxClientConnections: number;
  /** Where Airflow's pods connect from (constructs/database/pod-network.ts): PgBouncer admits no one else. */
  readonly podNetworkCidrs: readonly string[];
  /** The logins (AirflowDatabaseLogins): PgBouncer's server login and its two client logins. */
  readonly logins: {
    readonly activeLogin: AirflowLoginRole;
    readonly passwords: Readonly<Record<AirflowLoginRole, string>>;
    readonly clientPassword: string;
    readonly statsPassword: string;
  };
  /**
   * What must have set the passwords in the database before PgBouncer is handed them: the
   * bootstrap Job. @default []
   */
  readonly after?: readonly ITerraformDependable[];
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
 * The Secrets on Airflow's path to its database. PgBouncer's config Secret holds the active
 * login's password and is written only after the bootstrap Job has set it, so on a rotation the
 * database knows the new password before PgBouncer (reloading the mounted Secret) uses it.
 * Airflow's connection Secret and the stats Secret hold PgBouncer-only logins, which do not
 * rotate. No password appears in Helm values or synthesized JSON.
 */
export class MetadataConnection extends Construct {
  readonly secretNames: ReturnType<typeof metadataSecretNames>;
  /** The Kubernetes Secrets, which the release must wait for. */
  readonly secrets: readonly ITerraformDependable[];

  constructor(scope: Construct, id: string, props: MetadataConnectionProps) {
    super(scope, id);
    const names = metadataSecretNames(props.releaseName);
    const logins = props.logins;
    const common = { type: "Opaque" };
    const metadata = new SecretV1(this, "metadata", {
      metadata: { name: names.metadata, namespace: props.namespace },
      ...common,
      data: {
        connection: metadataConnectionUri({ encodedPassword: Fn.urlencode(logins.clientPassword), releaseName: props.releaseName, namespace: props.namespace }),
      },
    });
    const pgbouncerConfig = new SecretV1(this, "pgbouncer-config", {
      metadata: { name: names.pgbouncerConfig, namespace: props.namespace },
      ...common,
      data: pgbouncerConfigFiles({
        releaseName: props.releaseName,
        databaseHost: props.databaseHost,
        databasePort: props.databasePort,
        databaseName: props.databaseName,
        metadataPoolSize: props.metadataPoolSize,
        maxClientConnections: props.maxClientConnections,
        podNetworkCidrs: props.podNetworkCidrs,
        server: { user: logins.activeLogin, password: logins.passwords[logins.activeLogin] },
        clientPassword: logins.clientPassword,
        statsPassword: logins.statsPassword,
        escape: (text) => Fn.replace(text, Fn.rawString('"'), Fn.rawString('""')),
      }),
      dependsOn: [...(props.after ?? [])],
    });
    const pgbouncerStats = new SecretV1(this, "pgbouncer-stats", {
      metadata: { name: names.pgbouncerStats, namespace: props.namespace },
      ...common,
      data: {
        connection: statsConnectionUri({ encodedPassword: Fn.urlencode(logins.statsPassword) }),
        // For the Datadog agent's PgBouncer check (constructs/datadog/pgbouncer-check.ts).
        [STATS_PASSWORD_KEY]: logins.statsPassword,
      },
    });
    this.secretNames = names;
    this.secrets = [metadata, pgbouncerConfig, pgbouncerStats];
  }
}

// Datadog's PgBouncer integration (the `pgbouncer.*` metrics in data/datadog/pgbouncer-metadata.csv),
// configured by an autodiscovery annotation on the chart's PgBouncer pods. The check logs in as
// PgBouncer's stats login (SHOW only, no database); its password is not in the annotation: the
// agent reads it from the stats Secret through its secret backend, which may read that one Secret only.
// @see https://docs.datadoghq.com/integrations/pgbouncer/
// @see https://docs.datadoghq.com/agent/configuration/secrets-management/

/** The key of the stats Secret that holds the login's bare password, for the agent. */
export const STATS_PASSWORD_KEY = "password";

/** The agent's bundled helper that resolves `ENC[k8s_secret@namespace/secret/key]`. */
export const SECRET_BACKEND_COMMAND = "/readsecret_multiple_providers.sh";

export interface PgbouncerCheckInput {
  /** Namespace of PgBouncer and of its stats Secret. */
  readonly namespace: string;
  readonly statsSecretName: string;
  readonly port: number;
  readonly user: string;
}

/** Pod annotations for the chart's `pgbouncer` container. */
export function pgbouncerCheckAnnotations(input: PgbouncerCheckInput): Record<string, string> {
  const instance = {
    host: "%%host%%",
    port: input.port,
    username: input.user,
    password: `ENC[k8s_secret@${input.namespace}/${input.statsSecretName}/${STATS_PASSWORD_KEY}]`,
  };
  return { "ad.datadoghq.com/pgbouncer.checks": JSON.stringify({ pgbouncer: { instances: [instance] } }) };
}

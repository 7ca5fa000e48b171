import { Annotations } from "@cdktf/provider-kubernetes/lib/annotations";
import { Construct, type ITerraformDependable } from "../core";
import { pgbouncerName } from "./pgbouncer-config";

/** Pod-template annotation whose change makes Kubernetes replace PgBouncer's pods. */
export const CREDENTIALS_VERSION_ANNOTATION = "airflow-platform/database-credentials-version";

export interface PgbouncerRolloutProps {
  readonly namespace: string;
  /** The Airflow release name: the chart's PgBouncer Deployment is `<release>-pgbouncer`. */
  readonly releaseName: string;
  /** MetadataConnection.credentialsVersion. */
  readonly credentialsVersion: string;
  /** The Airflow release, which creates the Deployment. */
  readonly after: ITerraformDependable;
}

/**
 * PgBouncer reads its auth file only when it starts, and the chart mounts it with `subPath`, so a
 * running pod never sees a new one; the chart's own checksum covers only a Secret it writes. After
 * a rotation of the database password nothing would restart PgBouncer: old server connections
 * keep working, new ones fail. This stamps the master secret's version on PgBouncer's pod
 * template, so the apply that writes the new password also rolls PgBouncer's Deployment (the
 * chart's strategy brings a new pod up before an old one goes). Airflow's own pods are not
 * touched: their login to PgBouncer does not rotate.
 * @see https://github.com/apache/airflow/blob/main/chart/templates/pgbouncer/pgbouncer-deployment.yaml
 */
export class PgbouncerRollout extends Construct {
  constructor(scope: Construct, id: string, props: PgbouncerRolloutProps) {
    super(scope, id);
    new Annotations(this, "pod-template", {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: pgbouncerName(props.releaseName), namespace: props.namespace },
      templateAnnotations: { [CREDENTIALS_VERSION_ANNOTATION]: props.credentialsVersion },
      fieldManager: "airflow-platform",
      // The Deployment belongs to Helm; this field alone is ours.
      force: true,
      dependsOn: [props.after],
    });
  }
}

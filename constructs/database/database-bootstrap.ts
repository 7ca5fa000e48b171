import { createHash } from "node:crypto";
import { ConfigMapV1 } from "@cdktf/provider-kubernetes/lib/config-map-v1";
import { JobV1 } from "@cdktf/provider-kubernetes/lib/job-v1";
import { SecretV1 } from "@cdktf/provider-kubernetes/lib/secret-v1";
import { ServiceAccountV1 } from "@cdktf/provider-kubernetes/lib/service-account-v1";
import { nodePoolLabels } from "../cluster/node-placement";
import { Construct, Fn, type ITerraformDependable } from "../core";
import type { AirflowLoginRole } from "./airflow-roles";
import { AWS_CLI_IMAGE, POSTGRES_CLIENT_IMAGE } from "./bootstrap-images";
import { DATABASE_BOOTSTRAP_SERVICE_ACCOUNT } from "./bootstrap-role";
import { bootstrapShellScript, BOOTSTRAP_ENV, readMasterSecretScript } from "./bootstrap-scripts";
import { bootstrapSql } from "./bootstrap-sql";
import { RDS_CA_CONFIG_MAP, RDS_CA_DIR, RDS_CA_FILE_NAME, RDS_CA_PATH, rdsCaBundle } from "./rds-ca";

export interface DatabaseBootstrapProps {
  readonly namespace: string;
  readonly databaseHost: string;
  readonly databasePort: number;
  readonly databaseName: string;
  /** The RDS-managed master secret, which the Job reads itself. */
  readonly masterSecretArn: string;
  readonly region: string;
  /** The IRSA role allowed to read that secret (DatabaseBootstrapRole). */
  readonly roleArn: string;
  /**
   * The login PgBouncer uses at this generation and its password (AirflowDatabaseLogins): the
   * one password the Job may set. The other login's is not given to it.
   */
  readonly activeLogin: { readonly user: AirflowLoginRole; readonly password: string };
  /** `database.airflowPasswordGeneration`: the Job refuses any change but +1 (generation-guard.ts). */
  readonly passwordGeneration: number;
  /** The environment's name, for the Job's messages. */
  readonly environment: string;
  /** Changes whenever a login's password does (AirflowDatabaseLogins.version). */
  readonly loginsVersion: string;
  /**
   * How long the apply waits for the Job.
   * @default "10m"
   * @see https://registry.terraform.io/providers/hashicorp/kubernetes/latest/docs/resources/job_v1#timeouts
   */
  readonly timeout?: string;
}

const MOUNTS = { masterCredentials: "/run/master-credentials", logins: "/run/login-passwords", scripts: "/opt/bootstrap", tmp: "/tmp", rdsCa: RDS_CA_DIR } as const;

/**
 * Creates or updates Airflow's database roles as the RDS master user, before the Airflow release
 * (and so its migration job) runs. The Job reads the master secret itself through its IRSA
 * role into a memory-backed volume: the master password never enters this stack's state or a
 * Kubernetes Secret. A Job's pod template cannot change, so the Job's name carries a hash of
 * everything it runs with: a new password, script, image or database replaces the Job (and
 * reruns it), anything else leaves the finished Job alone. The SQL is safe to run again.
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/job/
 */
export class DatabaseBootstrap extends Construct {
  /** The Job; the Airflow release and PgBouncer's config wait for it. */
  readonly job: ITerraformDependable;

  constructor(scope: Construct, id: string, props: DatabaseBootstrapProps) {
    super(scope, id);
    const labels = { "app.kubernetes.io/name": "airflow-db-bootstrap", "app.kubernetes.io/part-of": "airflow" };
    const serviceAccount = new ServiceAccountV1(this, "service-account", {
      metadata: { name: DATABASE_BOOTSTRAP_SERVICE_ACCOUNT, namespace: props.namespace, labels, annotations: { "eks.amazonaws.com/role-arn": props.roleArn } },
    });
    const files = { "read-master-secret.sh": readMasterSecretScript(), "bootstrap.sh": bootstrapShellScript(), "bootstrap.sql": bootstrapSql({ databaseName: props.databaseName, generation: props.passwordGeneration, environment: props.environment }) };
    // The RDS CA bundle, for this Job and for PgBouncer (the Airflow release waits for the Job).
    const rdsCa = new ConfigMapV1(this, "rds-ca", { metadata: { name: RDS_CA_CONFIG_MAP, namespace: props.namespace, labels }, data: { [RDS_CA_FILE_NAME]: rdsCaBundle(props.region) } });
    const scripts = new ConfigMapV1(this, "scripts", { metadata: { name: "airflow-db-bootstrap-scripts", namespace: props.namespace, labels }, data: files });
    const logins = new SecretV1(this, "login-passwords", {
      metadata: { name: "airflow-db-bootstrap-logins", namespace: props.namespace, labels },
      type: "Opaque",
      data: { password: props.activeLogin.password },
    });
    const staticInputs = createHash("sha256").update(JSON.stringify({ files, images: [AWS_CLI_IMAGE, POSTGRES_CLIENT_IMAGE], mounts: MOUNTS, namespace: props.namespace })).digest("hex");
    const suffix = Fn.substr(Fn.sha256(Fn.join("|", [staticInputs, props.loginsVersion, props.databaseHost, String(props.databasePort), props.masterSecretArn, props.region])), 0, 10);
    const env = (values: Record<string, string>) => Object.entries(values).map(([name, value]) => ({ name, value }));
    const hardened = { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } };
    const resources = { requests: { cpu: "50m", memory: "64Mi" }, limits: { cpu: "500m", memory: "256Mi" } };
    const mount = (name: keyof typeof MOUNTS, readOnly = true) => ({ name: volumeName(name), mountPath: MOUNTS[name], readOnly });

    this.job = new JobV1(this, "job", {
      metadata: { name: `airflow-db-bootstrap-${suffix}`, namespace: props.namespace, labels },
      spec: {
        backoffLimit: 2,
        activeDeadlineSeconds: 600,
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: serviceAccount.metadata.name,
            restartPolicy: "Never",
            nodeSelector: { ...nodePoolLabels("system") },
            // uid 70 is the postgres image's own user; the AWS CLI runs as anyone.
            securityContext: { runAsNonRoot: true, runAsUser: "70", runAsGroup: "70", fsGroup: "70", seccompProfile: { type: "RuntimeDefault" } },
            initContainer: [
              {
                name: "read-master-secret",
                image: AWS_CLI_IMAGE,
                command: ["/bin/sh", `${MOUNTS.scripts}/read-master-secret.sh`],
                env: env({
                  [BOOTSTRAP_ENV.masterSecretArn]: props.masterSecretArn,
                  [BOOTSTRAP_ENV.masterCredentialsDir]: MOUNTS.masterCredentials,
                  AWS_REGION: props.region,
                  HOME: MOUNTS.tmp,
                }),
                volumeMount: [mount("masterCredentials", false), mount("scripts"), mount("tmp", false)],
                securityContext: hardened,
                resources,
              },
            ],
            container: [
              {
                name: "bootstrap",
                image: POSTGRES_CLIENT_IMAGE,
                command: ["/bin/sh", `${MOUNTS.scripts}/bootstrap.sh`],
                env: env({
                  [BOOTSTRAP_ENV.masterCredentialsDir]: MOUNTS.masterCredentials,
                  [BOOTSTRAP_ENV.loginPasswordsDir]: MOUNTS.logins,
                  [BOOTSTRAP_ENV.activeLogin]: props.activeLogin.user,
                  [BOOTSTRAP_ENV.sqlFile]: `${MOUNTS.scripts}/bootstrap.sql`,
                  PGHOST: props.databaseHost,
                  PGPORT: String(props.databasePort),
                  PGDATABASE: props.databaseName,
                  PGSSLROOTCERT: RDS_CA_PATH,
                  HOME: MOUNTS.tmp,
                }),
                volumeMount: [mount("masterCredentials"), mount("logins"), mount("scripts"), mount("tmp", false), mount("rdsCa")],
                securityContext: hardened,
                resources,
              },
            ],
            volume: [
              // In memory only, and gone with the pod.
              { name: volumeName("masterCredentials"), emptyDir: { medium: "Memory", sizeLimit: "1Mi" } },
              { name: volumeName("logins"), secret: { secretName: logins.metadata.name, defaultMode: "0440" } },
              { name: volumeName("scripts"), configMap: { name: scripts.metadata.name, defaultMode: "0444" } },
              { name: volumeName("tmp"), emptyDir: { sizeLimit: "16Mi" } },
              { name: volumeName("rdsCa"), configMap: { name: rdsCa.metadata.name, defaultMode: "0444" } },
            ],
          },
        },
      },
      // No ttlSecondsAfterFinished: Terraform would recreate (and rerun) a Job the TTL controller deleted.
      waitForCompletion: true,
      timeouts: { create: props.timeout ?? "10m", update: props.timeout ?? "10m" },
    });
  }
}

function volumeName(mount: keyof typeof MOUNTS): string {
  return mount.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

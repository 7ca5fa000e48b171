import { SecretsmanagerSecret } from "@cdktf/provider-aws/lib/secretsmanager-secret";
import { SecretsmanagerSecretVersion } from "@cdktf/provider-aws/lib/secretsmanager-secret-version";
import { SecretV1 } from "@cdktf/provider-kubernetes/lib/secret-v1";
import { Bytes } from "@cdktf/provider-random/lib/bytes";
import { Password } from "@cdktf/provider-random/lib/password";
import { Construct, Fn, type ITerraformDependable } from "../core";

/** Secret names Airflow's chart reads, with the key each holds (fixed by the chart's templates). */
export interface AirflowSecretNames {
  readonly fernetKey: string;
  readonly apiSecretKey: string;
  readonly jwtSecret: string;
}

export const AIRFLOW_SECRET_KEYS: Readonly<Record<keyof AirflowSecretNames, string>> = {
  fernetKey: "fernet-key",
  apiSecretKey: "api-secret-key",
  jwtSecret: "jwt-secret",
};

export interface AirflowSecretsProps {
  readonly namespace: string;
  readonly names: AirflowSecretNames;
  /** Secrets Manager name of the copy, e.g. `airflow-prod/airflow-secrets`. */
  readonly secretsManagerName: string;
  readonly kmsKeyArn: string;
}

/**
 * Airflow's fernet key, API secret key and JWT secret: generated once, kept in Secrets Manager
 * (so a reinstall of the chart, or a rebuilt cluster, can still decrypt stored connections), and
 * handed to the chart as Kubernetes Secrets by name. The chart's own hook-generated fernet key
 * would be lost on reinstall. The values live in Terraform state too: state is encrypted (S3 with
 * KMS) and readable only by the deploy role, the same trust boundary as the secrets themselves.
 */
export class AirflowSecrets extends Construct {
  readonly secretsManagerArn: string;
  /** The Kubernetes Secrets, which the release must wait for. */
  readonly secrets: readonly ITerraformDependable[];

  constructor(scope: Construct, id: string, props: AirflowSecretsProps) {
    super(scope, id);
    // Fernet wants 32 url-safe base64 bytes; random_bytes gives standard base64.
    const fernetBytes = new Bytes(this, "fernet-key-bytes", { length: 32 });
    const fernetKey = Fn.replace(Fn.replace(fernetBytes.base64, "+", "-"), "/", "_");
    const apiSecretKey = new Password(this, "api-secret-key", { length: 64, special: false }).result;
    const jwtSecret = new Password(this, "jwt-secret", { length: 64, special: false }).result;

    const stored = new SecretsmanagerSecret(this, "stored", {
      name: props.secretsManagerName,
      description: "Airflow fernet key, API secret key and JWT secret (managed by airflow-platform)",
      kmsKeyId: props.kmsKeyArn,
      recoveryWindowInDays: 30,
    });
    new SecretsmanagerSecretVersion(this, "stored-version", {
      secretId: stored.id,
      secretString: Fn.jsonencode({ fernetKey, apiSecretKey, jwtSecret }),
    });
    const values: Record<keyof AirflowSecretNames, string> = { fernetKey, apiSecretKey, jwtSecret };
    this.secrets = (Object.keys(values) as (keyof AirflowSecretNames)[]).map(
      (kind) =>
        new SecretV1(this, kind, {
          metadata: { name: props.names[kind], namespace: props.namespace },
          type: "Opaque",
          data: { [AIRFLOW_SECRET_KEYS[kind]]: values[kind] },
        }),
    );
    this.secretsManagerArn = stored.arn;
  }
}

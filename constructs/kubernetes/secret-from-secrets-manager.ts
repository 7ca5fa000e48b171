import { DataAwsSecretsmanagerSecretVersion } from "@cdktf/provider-aws/lib/data-aws-secretsmanager-secret-version";
import { SecretV1 } from "@cdktf/provider-kubernetes/lib/secret-v1";
import { Construct, Fn, type ITerraformDependable } from "../core";

export interface SecretFromSecretsManagerProps {
  readonly namespace: string;
  /** The Kubernetes Secret to write, e.g. `airflow-sso-client-secret`. */
  readonly secretName: string;
  /** The key in that Secret. */
  readonly key: string;
  /** The Secrets Manager secret the value was put in by hand. */
  readonly secretsManagerArn: string;
  /**
   * The JSON key holding the value, when the secret is a JSON object.
   * @default - the whole secret string is the value
   */
  readonly jsonKey?: string;
}

/**
 * Copies a value a person put in Secrets Manager (an OAuth client secret, a Git deploy key) into a
 * Kubernetes Secret, at apply time: it is never in values or `cdktf.out`, only (like every secret
 * the platform stack hands to Kubernetes) in the stack's encrypted Terraform state. Nobody needs
 * `kubectl` on the private endpoint to create it, and a new version reaches the cluster with the
 * next deploy.
 */
export class SecretFromSecretsManager extends Construct {
  readonly secret: ITerraformDependable;

  constructor(scope: Construct, id: string, props: SecretFromSecretsManagerProps) {
    super(scope, id);
    const version = new DataAwsSecretsmanagerSecretVersion(this, "source", { secretId: props.secretsManagerArn });
    const value = props.jsonKey === undefined ? version.secretString : Fn.lookup(Fn.jsondecode(version.secretString), props.jsonKey);
    this.secret = new SecretV1(this, "secret", {
      metadata: { name: props.secretName, namespace: props.namespace },
      type: "Opaque",
      data: { [props.key]: value },
    });
  }
}

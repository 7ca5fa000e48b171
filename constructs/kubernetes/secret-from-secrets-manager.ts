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
  private readonly value: string;

  constructor(scope: Construct, id: string, private readonly props: SecretFromSecretsManagerProps) {
    super(scope, id);
    const version = new DataAwsSecretsmanagerSecretVersion(this, "source", { secretId: props.secretsManagerArn });
    this.value = props.jsonKey === undefined ? version.secretString : Fn.lookup(Fn.jsondecode(version.secretString), props.jsonKey);
    this.secret = writeSecret(this, props.namespace, props, this.value);
  }

  /**
   * The same Secret in another namespace (a pod mounts only its own namespace's Secrets), from the
   * one read: the value is read from Secrets Manager, and held in the state, once more only as the
   * copy itself. `<scope>/<id>/secret` is the copy's construct path.
   */
  copyTo(scope: Construct, id: string, namespace: string): ITerraformDependable {
    return writeSecret(new Construct(scope, id), namespace, this.props, this.value);
  }
}

function writeSecret(scope: Construct, namespace: string, props: SecretFromSecretsManagerProps, value: string): ITerraformDependable {
  return new SecretV1(scope, "secret", {
    metadata: { name: props.secretName, namespace },
    type: "Opaque",
    data: { [props.key]: value },
  });
}

import { Construct } from "../core";
import { IrsaRole, type OidcIdentity, type ServiceAccountRef } from "../iam/irsa-role";
import { policyDocument, type PolicyDocument } from "../iam/policy-document";

/** The service account the database bootstrap Job runs as, in Airflow's namespace. */
export const DATABASE_BOOTSTRAP_SERVICE_ACCOUNT = "airflow-db-bootstrap";

export function databaseBootstrapServiceAccount(namespace: string): ServiceAccountRef {
  return { namespace, name: DATABASE_BOOTSTRAP_SERVICE_ACCOUNT };
}

export interface DatabaseBootstrapRoleProps {
  readonly roleName: string;
  readonly oidc: OidcIdentity;
  /** Airflow's namespace, where the Job runs. */
  readonly namespace: string;
  /** The RDS-managed master secret: the one secret the role may read. */
  readonly masterSecretArn: string;
  /** The key RDS encrypts that secret with (MetadataDatabaseProps.kmsKeyArn). */
  readonly kmsKeyArn: string;
  readonly region: string;
}

/**
 * Read the master secret, and decrypt with its key only on Secrets Manager's behalf: the key
 * also encrypts the database's storage, which this role has no business decrypting.
 * @see https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html
 */
export function databaseBootstrapPolicy(props: Pick<DatabaseBootstrapRoleProps, "masterSecretArn" | "kmsKeyArn" | "region">): PolicyDocument {
  return policyDocument(
    { Sid: "ReadTheMasterSecret", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: props.masterSecretArn },
    {
      Sid: "DecryptItThroughSecretsManager",
      Effect: "Allow",
      Action: "kms:Decrypt",
      Resource: props.kmsKeyArn,
      Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${props.region}.amazonaws.com` } },
    },
  );
}

/**
 * The IRSA role of the database bootstrap Job, in the infrastructure stack beside the database
 * whose secret it reads; the platform stack gets its ARN as a typed output.
 */
export class DatabaseBootstrapRole extends Construct {
  readonly roleArn: string;

  constructor(scope: Construct, id: string, props: DatabaseBootstrapRoleProps) {
    super(scope, id);
    this.roleArn = new IrsaRole(this, "irsa", {
      roleName: props.roleName,
      oidc: props.oidc,
      serviceAccount: databaseBootstrapServiceAccount(props.namespace),
      policy: databaseBootstrapPolicy(props),
    }).roleArn;
  }
}

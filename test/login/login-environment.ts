import { baseEnvironment } from "../../environments/base";
import type { EnvironmentConfig } from "../../configuration/schema/environment-config";
import { mergeEnvironment, type EnvironmentOverrides } from "../../configuration/schema/merge";
import { validateEnvironment } from "../../configuration/validation/validate";

// The login tests' own environment (not a shipped one): a UI hostname, and single sign-on or none.

/** The UI's DNS name; the browser resolves it to the TLS proxy that stands in for the ALB. */
export const LOGIN_HOSTNAME = "airflow.login.test";

export interface LoginSso {
  readonly provider: "oidc" | "entra-id";
  readonly issuerUrl: string;
  readonly clientId: string;
  readonly scopes?: readonly string[];
}

/** Groups (for entra-id: app roles) and the Airflow roles the tests expect of them. */
const LOGIN_ROLE_MAPPING: Record<string, ("Admin" | "Op" | "User" | "Viewer")[]> = { "airflow-admins": ["Admin"], analysts: ["Viewer"], "data-engineers": ["Op", "User"] };

/** The fixture environment, validated as the platform validates any environment. */
export function loginEnvironment(sso: LoginSso | undefined): EnvironmentConfig {
  const overrides: EnvironmentOverrides = {
    name: "login",
    stage: "dev",
    account: { id: "123456789012" },
    availabilityZones: ["eu-west-1a", "eu-west-1b"],
    network: { vpcCidr: "10.40.0.0/16", natGateways: "single" },
    nodeGroups: {
      system: { instanceTypes: ["m6i.large"], minSize: 1, maxSize: 2, desiredSize: 1 },
      tasks: { instanceTypes: ["m6i.xlarge"], minSize: 0, maxSize: 2, desiredSize: 0 },
      taskPools: { memory: { maxSize: 1 } },
    },
    database: { instanceClass: "db.t4g.medium", allocatedStorageGiB: 20, maxAllocatedStorageGiB: 50, maxConnections: 300, backupRetentionDays: 1, multiAz: false },
    stateBackend: { kind: "local", directory: "terraform-state" },
    airflow: {
      parallelism: 4,
      schedulerReplicas: 1,
      apiServerReplicas: 1,
      gitSync: { repository: "git@github.com:login-test/dags.git" },
      ui: {
        hostname: LOGIN_HOSTNAME,
        certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/11111111-2222-3333-4444-555555555555",
      },
      auth: sso
        ? {
            sso: {
              provider: sso.provider,
              issuerUrl: sso.issuerUrl,
              clientId: sso.clientId,
              ...(sso.scopes ? { scopes: [...sso.scopes] } : {}),
              clientSecret: { kubernetesSecretName: "airflow-sso-client-secret" },
              roleMapping: structuredClone(LOGIN_ROLE_MAPPING),
              defaultRole: "Public",
            },
          }
        : {},
    },
    observability: { slack: { account: "login-test", channels: { critical: "login-critical", warning: "login-warning" } } },
    ci: {
      repository: "login-test/airflow-platform",
      connectionArn: "arn:aws:codeconnections:eu-west-1:123456789012:connection/11111111-2222-3333-4444-555555555555",
      planRoleArn: "arn:aws:iam::123456789012:role/airflow-platform-plan",
    },
  };
  const result = validateEnvironment(mergeEnvironment(baseEnvironment, overrides));
  if (!result.ok) throw new Error(`the login fixture environment is invalid: ${JSON.stringify(result.problems, null, 1)}`);
  return result.config;
}

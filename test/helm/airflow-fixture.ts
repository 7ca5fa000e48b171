import { validateEnvironment, type EnvironmentConfig } from "../../environments";
import { shippedWith } from "../support/environments";

// The Airflow tests' own environment: a task pool of its own and OIDC sign-in, so what they
// check does not hang on the shipped examples' pools or on whether an example configures SSO.

/** The fixture's extra task pool, chosen by a node selector on `airflow-platform/pool`. */
export const FIXTURE_POOL = "fx-bigmem";

export const FIXTURE_OIDC_CLIENT = "fixture-airflow";

export function fixtureEnvironment(): EnvironmentConfig {
  const result = validateEnvironment(
    shippedWith("dev", {
      name: "airflowfix",
      nodeGroups: { taskPools: { [FIXTURE_POOL]: { instanceTypes: ["r6i.4xlarge"], capacityType: "ON_DEMAND", minSize: 0, maxSize: 2, diskSizeGiB: 100 } } },
      airflow: {
        ui: { hostname: "airflow.fixture.example.com", certificateArn: "arn:aws:acm:eu-west-1:111111111111:certificate/00000000-0000-0000-0000-000000000001" },
        auth: {
          sso: {
            provider: "oidc",
            issuerUrl: "https://idp.fixture.example.com",
            clientId: FIXTURE_OIDC_CLIENT,
            clientSecret: { kubernetesSecretName: "airflow-fixture-sso" },
            roleMapping: { "fixture-admins": ["Admin"], "fixture-engineers": ["User"] },
          },
        },
      },
    }),
  );
  if (!result.ok) throw new Error(`the Airflow tests' fixture environment is invalid: ${JSON.stringify(result.problems)}`);
  return result.config;
}

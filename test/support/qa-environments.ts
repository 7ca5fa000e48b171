// A team's own environments, not the shipped ones: `qa` promoted between dev and staging, and
// prod's pools tuned. Tests that depend on the environment list run on this too, so adding an
// environment or resizing a pool (both valid) keeps the suite green.
import { SHIPPED_ENVIRONMENTS } from "../../environments";
import { mergeEnvironment, type EnvironmentOverrides } from "../../configuration/schema/merge";

const shipped = (name: string): EnvironmentOverrides => SHIPPED_ENVIRONMENTS[name] as EnvironmentOverrides;

/** qa's own values over staging: also written as a source file by test/unit/added-environment.test.ts. */
export const QA_OVERRIDES: EnvironmentOverrides = {
  name: "qa",
  example: "qa",
  account: { id: "444444444444" },
  availabilityZones: ["eu-west-1a", "eu-west-1b"],
  network: { vpcCidr: "10.40.0.0/16" },
  nodeGroups: { system: { minSize: 1, maxSize: 2, desiredSize: 1 }, tasks: { maxSize: 10 }, taskPools: { memory: { maxSize: 1 } } },
  stateBackend: { kind: "s3", bucket: "airflow-platform-tfstate-444444444444", region: "eu-west-1", kmsKeyId: "alias/airflow-platform-tfstate" },
  observability: { slack: { channels: { critical: "airflow-qa-alerts", warning: "airflow-qa-warnings" } } },
  ci: {
    connectionArn: "arn:aws:codeconnections:eu-west-1:444444444444:connection/00000000-0000-0000-0000-000000000000",
    planRoleArn: "arn:aws:iam::444444444444:role/airflow-platform-plan",
  },
  tags: { environment: "qa" },
};

export const qa = mergeEnvironment(shipped("staging"), QA_OVERRIDES);

/** prod with its task pools resized: twelve more task nodes, two more memory nodes. */
export const tunedProd = mergeEnvironment(shipped("prod"), {
  nodeGroups: { tasks: { maxSize: 72 }, taskPools: { memory: { maxSize: 6 } } },
});

/** dev → qa → staging → prod, in promotion order, with prod's pools tuned. */
export const ENVIRONMENTS_WITH_QA: Readonly<Record<string, unknown>> = {
  dev: SHIPPED_ENVIRONMENTS.dev,
  qa,
  staging: SHIPPED_ENVIRONMENTS.staging,
  prod: tunedProd,
};

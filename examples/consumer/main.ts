// A team's own cdktf app: the shared staging shape, on the team's existing VPC, with bigger task
// nodes and a second critical DAG. Everything comes from the package's public entry. The shipped
// staging environment is an example: every placeholder it carries (account, Slack workspace, DAG
// repository, CI repository, connection and plan role) is replaced here, or validation refuses it for a staging environment.
import { App } from "cdktf";
import { AirflowPlatform, SHIPPED_ENVIRONMENTS, mergeEnvironment, validateEnvironments, type EnvironmentOverrides } from "airflow-platform";

const analytics = mergeEnvironment(SHIPPED_ENVIRONMENTS.staging as EnvironmentOverrides, {
  name: "analytics",
  account: { id: "404040404041" },
  network: {
    // An existing VPC: no NAT gateway is created, so the shipped one's setting is removed.
    natGateways: undefined,
    vpcCidr: "10.50.0.0/16",
    existingVpc: {
      vpcId: "vpc-0a1b2c3d4e5f60718",
      privateSubnetIds: ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002", "subnet-0a1b2c3d4e5f60003"],
      publicSubnetIds: [],
    },
  },
  nodeGroups: { tasks: { instanceTypes: ["m7i.2xlarge"], minSize: 0, maxSize: 20, desiredSize: 0 } },
  airflow: { gitSync: { repository: "git@github.com:analytics-team/dags.git" } },
  observability: {
    slack: { account: "analytics-team" },
    criticalDags: [
      { dagId: "high_priorities", deadlineHours: 8 },
      { dagId: "finance_close", deadlineHours: 4 },
    ],
  },
  // The team's own connection to GitHub and plan role, in its own account (README, Day one).
  ci: {
    repository: "analytics-team/analytics-airflow",
    connectionArn: "arn:aws:codeconnections:eu-west-1:404040404041:connection/5c0e7d2a-9b1f-4e36-8a4d-2f6b1c9e0d73",
    planRoleArn: "arn:aws:iam::404040404041:role/airflow-platform-plan",
  },
  stateBackend: { kind: "local", directory: "terraform-state" },
});

const [config] = validateEnvironments([analytics]);
const app = new App();
new AirflowPlatform(app, config);
app.synth();

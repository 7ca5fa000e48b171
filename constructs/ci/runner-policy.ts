import { policyDocument, type PolicyDocument } from "../iam/policy-document";

export interface RunnerPolicyProps {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
  /** ARN of the runner's log group. */
  readonly logGroupArn: string;
  /** ARNs of the private subnets the runner's network interfaces go in. */
  readonly subnetArns: readonly string[];
  readonly connectionArn: string;
}

/**
 * What CodeBuild itself needs to host the runner: write its logs, put its network interfaces in
 * the private subnets, and read the repository through the CodeConnections connection. Nothing
 * else: no `sts:AssumeRole`, no EKS. Any workflow on any branch can ask for the runner's label,
 * so the runner's own role must not be a way to the deploy role; jobs assume the deploy or plan
 * role through GitHub's OIDC token, whose trust is bound to the `<env>` GitHub environment.
 * @see https://docs.aws.amazon.com/codebuild/latest/userguide/auth-and-access-control-iam-identity-based-access-control.html#customer-managed-policies-example-create-vpc-network-interface
 * @see https://docs.aws.amazon.com/codebuild/latest/userguide/connections-github-app.html
 */
export function runnerPolicy(props: RunnerPolicyProps): PolicyDocument {
  const { partition, region, accountId } = props;
  const ec2 = (resource: string) => `arn:${partition}:ec2:${region}:${accountId}:${resource}`;
  return policyDocument(
    {
      Sid: "WriteBuildLogs",
      Effect: "Allow",
      Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
      Resource: `${props.logGroupArn}:*`,
    },
    {
      Sid: "DescribeTheNetwork",
      Effect: "Allow",
      Action: ["ec2:DescribeDhcpOptions", "ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets", "ec2:DescribeSecurityGroups", "ec2:DescribeVpcs"],
      Resource: "*",
    },
    {
      Sid: "ManageBuildNetworkInterfaces",
      Effect: "Allow",
      Action: ["ec2:CreateNetworkInterface", "ec2:DeleteNetworkInterface"],
      Resource: [ec2("network-interface/*"), ec2("subnet/*"), ec2("security-group/*")],
    },
    {
      Sid: "AttachInterfacesOnlyInThePrivateSubnets",
      Effect: "Allow",
      Action: "ec2:CreateNetworkInterfacePermission",
      Resource: ec2("network-interface/*"),
      Condition: {
        StringEquals: { "ec2:AuthorizedService": "codebuild.amazonaws.com" },
        ArnEquals: { "ec2:Subnet": [...props.subnetArns] },
      },
    },
    {
      Sid: "ReadTheRepositoryThroughTheConnection",
      Effect: "Allow",
      Action: [
        "codeconnections:GetConnection",
        "codeconnections:GetConnectionToken",
        "codeconnections:UseConnection",
        "codestar-connections:GetConnection",
        "codestar-connections:GetConnectionToken",
        "codestar-connections:UseConnection",
      ],
      Resource: props.connectionArn,
    },
  );
}

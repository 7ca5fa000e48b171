import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { runnerLabel } from "../../constructs/ci/github-actions-runner";
import { runnerPolicy } from "../../constructs/ci/runner-policy";

const policy = runnerPolicy({
  partition: "aws",
  region: "eu-west-1",
  accountId: "111111111111",
  logGroupArn: "arn:aws:logs:eu-west-1:111111111111:log-group:/aws/codebuild/airflow-dev-runner",
  subnetArns: ["arn:aws:ec2:eu-west-1:111111111111:subnet/subnet-0a", "arn:aws:ec2:eu-west-1:111111111111:subnet/subnet-0b"],
  connectionArn: "arn:aws:codeconnections:eu-west-1:111111111111:connection/00000000-0000-0000-0000-000000000000",
});
const statements = policy.Statement;
const actionsOf = (sid: string) => [statements.find((s) => s.Sid === sid)?.Action ?? []].flat();

describe("the in-VPC runner's CodeBuild role", () => {
  it("cannot assume another role, touch IAM or call EKS: jobs get the deploy role through GitHub's OIDC token instead", () => {
    const actions = statements.flatMap((s) => [s.Action].flat());
    assert.deepEqual(actions.filter((a) => /^(sts|iam|eks):/.test(a)), []);
  });

  it("attaches network interfaces only in the environment's private subnets, on CodeBuild's behalf", () => {
    const attach = statements.find((s) => s.Sid === "AttachInterfacesOnlyInThePrivateSubnets");
    assert.deepEqual(attach?.Condition, {
      StringEquals: { "ec2:AuthorizedService": "codebuild.amazonaws.com" },
      ArnEquals: { "ec2:Subnet": ["arn:aws:ec2:eu-west-1:111111111111:subnet/subnet-0a", "arn:aws:ec2:eu-west-1:111111111111:subnet/subnet-0b"] },
    });
  });

  it("uses the one CodeConnections connection and writes only its own log group", () => {
    const connection = statements.find((s) => s.Sid === "ReadTheRepositoryThroughTheConnection");
    assert.equal(connection?.Resource, "arn:aws:codeconnections:eu-west-1:111111111111:connection/00000000-0000-0000-0000-000000000000");
    assert.ok(actionsOf("ReadTheRepositoryThroughTheConnection").includes("codeconnections:UseConnection"));
    assert.equal(statements.find((s) => s.Sid === "WriteBuildLogs")?.Resource, "arn:aws:logs:eu-west-1:111111111111:log-group:/aws/codebuild/airflow-dev-runner:*");
  });

  it("is named in runs-on as codebuild-<project>-<run id>-<attempt>, so every job gets its own runner", () => {
    assert.equal(runnerLabel("airflow-dev-runner"), "codebuild-airflow-dev-runner-${{ github.run_id }}-${{ github.run_attempt }}");
  });
});

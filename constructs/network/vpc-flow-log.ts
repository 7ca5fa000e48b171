import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { Construct } from "../core";
import type { Duration } from "../../lib/units";
import { policyDocument, serviceTrustPolicy, toPolicyJson } from "../iam/policy-document";

export interface VpcFlowLogProps {
  readonly vpcId: string;
  readonly namePrefix: string;
  /** @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/Working-with-log-groups-and-streams.html */
  readonly retention: Duration;
  /** Key that encrypts the log group; its policy must admit CloudWatch Logs. */
  readonly kmsKeyArn: string;
}

/** Rejected and accepted traffic of the whole VPC, to CloudWatch Logs, encrypted and retained. */
export class VpcFlowLog extends Construct {
  constructor(scope: Construct, id: string, props: VpcFlowLogProps) {
    super(scope, id);
    const logGroup = new CloudwatchLogGroup(this, "log-group", {
      name: `/aws/vpc/${props.namePrefix}/flow-logs`,
      retentionInDays: props.retention.toDays(),
      kmsKeyId: props.kmsKeyArn,
    });
    const role = new IamRole(this, "role", {
      name: `${props.namePrefix}-vpc-flow-logs`,
      assumeRolePolicy: toPolicyJson(serviceTrustPolicy("vpc-flow-logs.amazonaws.com")),
    });
    new IamRolePolicy(this, "policy", {
      role: role.name,
      name: "write-flow-logs",
      policy: toPolicyJson(
        policyDocument({
          Effect: "Allow",
          Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
          Resource: [logGroup.arn, `${logGroup.arn}:*`],
        }),
      ),
    });
    new FlowLog(this, "flow-log", {
      vpcId: props.vpcId,
      trafficType: "ALL",
      logDestinationType: "cloud-watch-logs",
      logDestination: logGroup.arn,
      iamRoleArn: role.arn,
      maxAggregationInterval: 600,
    });
  }
}

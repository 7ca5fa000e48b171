/**
 * AWS regions a platform may be placed in, with the partition their ARNs use. Kept in code
 * rather than looked up, because the offline plan must not call AWS. Source: the AWS general
 * reference's list of regions (commercial, China and GovCloud partitions).
 */
export const AWS_REGION_PARTITIONS = {
  "us-east-1": "aws", "us-east-2": "aws", "us-west-1": "aws", "us-west-2": "aws",
  "af-south-1": "aws", "ap-east-1": "aws", "ap-east-2": "aws", "ap-south-1": "aws",
  "ap-south-2": "aws", "ap-southeast-1": "aws", "ap-southeast-2": "aws", "ap-southeast-3": "aws",
  "ap-southeast-4": "aws", "ap-southeast-5": "aws", "ap-southeast-7": "aws",
  "ap-northeast-1": "aws", "ap-northeast-2": "aws", "ap-northeast-3": "aws",
  "ca-central-1": "aws", "ca-west-1": "aws", "eu-central-1": "aws", "eu-central-2": "aws",
  "eu-west-1": "aws", "eu-west-2": "aws", "eu-west-3": "aws", "eu-south-1": "aws",
  "eu-south-2": "aws", "eu-north-1": "aws", "il-central-1": "aws", "me-south-1": "aws",
  "me-central-1": "aws", "mx-central-1": "aws", "sa-east-1": "aws",
  "cn-north-1": "aws-cn", "cn-northwest-1": "aws-cn",
  "us-gov-east-1": "aws-us-gov", "us-gov-west-1": "aws-us-gov",
} as const;

export type AwsRegion = keyof typeof AWS_REGION_PARTITIONS;
export type AwsPartition = (typeof AWS_REGION_PARTITIONS)[AwsRegion];

export const AWS_REGIONS = Object.keys(AWS_REGION_PARTITIONS) as [AwsRegion, ...AwsRegion[]];

/** The DNS suffix of service principals differs in China. */
export function serviceDnsSuffix(partition: AwsPartition): string {
  return partition === "aws-cn" ? "amazonaws.com.cn" : "amazonaws.com";
}

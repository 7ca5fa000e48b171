import { policyDocument, type PolicyDocument, type PolicyStatement } from "../iam/policy-document";
import { serviceDnsSuffix, type AwsPartition } from "../network/aws-regions";

/** Where an environment keeps its Terraform state, when it is in S3 (local state needs no grant). */
export interface PlanStateLocation {
  readonly bucket: string;
  readonly keyPrefix: string;
  /** The state bucket's region: S3 asks KMS to decrypt from there. */
  readonly region: string;
}

/** One environment's stacks as the plan role sees them. */
export interface PlannedEnvironment {
  /** The stacks the plan role diffs; their state objects are all it may read. */
  readonly plannedStacks: readonly string[];
  /** The stacks whose state it must never read, named in an explicit deny (their state holds secrets). */
  readonly forbiddenStacks: readonly string[];
  readonly state?: PlanStateLocation;
}

export interface PlanRolePolicyProps {
  readonly partition: AwsPartition;
  readonly region: string;
  readonly accountId: string;
  /** Every environment that names this plan role (several may share one). */
  readonly environments: readonly PlannedEnvironment[];
}

/**
 * Secret-reading calls the plan role is denied outright, whatever else grants them: an explicit
 * Deny wins over any Allow, including one a person later attaches by hand.
 */
export const PLAN_ROLE_DENIED_ACTIONS = [
  "secretsmanager:GetSecretValue",
  "secretsmanager:BatchGetSecretValue",
  "ssm:GetParameter",
  "ssm:GetParameters",
  "ssm:GetParametersByPath",
] as const;

/**
 * What `cdktf diff` of the infrastructure and observability stacks needs to refresh them, and no
 * more: metadata reads (Describe/List) across the account; `Get*` reads on this account's
 * resources by ARN; the planned stacks' state objects. No secret value: the secret-reading calls
 * are denied, `kms:Decrypt` only through S3 for those state objects, and the platform stack's
 * state (which holds generated secrets) is denied by name.
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html
 */
export function planRolePolicy(props: PlanRolePolicyProps): PolicyDocument {
  const { partition, region, accountId } = props;
  const arn = (service: string, resource: string, where = region) => `arn:${partition}:${service}:${where}:${accountId}:${resource}`;
  const statements: PolicyStatement[] = [
    {
      Sid: "DescribeAndListMetadata",
      Effect: "Allow",
      Action: [
        "autoscaling:Describe*",
        "ec2:Describe*",
        "eks:Describe*",
        "eks:List*",
        "elasticfilesystem:Describe*",
        "rds:Describe*",
        "rds:ListTagsForResource",
        "logs:Describe*",
        "logs:ListTagsForResource",
        "logs:ListTagsLogGroup",
        "kms:ListAliases",
        "kms:ListResourceTags",
        "ecr:DescribeRepositories",
        "ecr:ListTagsForResource",
        "iam:ListRolePolicies",
        "iam:ListAttachedRolePolicies",
        "iam:ListInstanceProfilesForRole",
        "codebuild:ListProjects",
        "secretsmanager:ListSecrets",
      ],
      Resource: "*",
    },
    {
      Sid: "ReadThisAccountsConfiguration",
      Effect: "Allow",
      Action: [
        "iam:GetRole",
        "iam:GetRolePolicy",
        "iam:GetPolicy",
        "iam:GetPolicyVersion",
        "iam:GetOpenIDConnectProvider",
        "kms:DescribeKey",
        "kms:GetKeyPolicy",
        "kms:GetKeyRotationStatus",
        "ecr:GetLifecyclePolicy",
        "ecr:GetRepositoryPolicy",
        "secretsmanager:DescribeSecret",
        "secretsmanager:GetResourcePolicy",
        "codebuild:BatchGetProjects",
      ],
      Resource: [
        `arn:${partition}:iam::${accountId}:role/*`,
        `arn:${partition}:iam::${accountId}:policy/*`,
        `arn:${partition}:iam::${accountId}:oidc-provider/*`,
        arn("kms", "key/*"),
        arn("ecr", "repository/*"),
        arn("secretsmanager", "secret:*"),
        arn("codebuild", "project/*"),
      ],
    },
    { Sid: "NeverReadSecretValues", Effect: "Deny", Action: [...PLAN_ROLE_DENIED_ACTIONS], Resource: "*" },
    {
      // Decrypting is how a Secrets Manager or SSM value would be read by other means.
      Sid: "DecryptNothingButStateThroughS3",
      Effect: "Deny",
      Action: "kms:Decrypt",
      Resource: "*",
      Condition: { StringNotEquals: { "kms:ViaService": oneOrList(stateRegions(props).map((r) => `s3.${r}.${serviceDnsSuffix(partition)}`)) } },
    },
  ];
  for (const environment of props.environments) if (environment.state) statements.push(...stateStatements(props, environment, environment.state));
  return policyDocument(...statements.map((statement, i) => ({ ...statement, Sid: statement.Sid && statements.findIndex((s) => s.Sid === statement.Sid) !== i ? `${statement.Sid}${i}` : statement.Sid })));
}

function oneOrList(values: readonly string[]): string | readonly string[] {
  return values.length === 1 ? values[0] : values;
}

/** Where the states are (the role's own region when every state is local). */
function stateRegions(props: PlanRolePolicyProps): string[] {
  const regions = [...new Set(props.environments.flatMap((e) => (e.state ? [e.state.region] : [])))].sort();
  return regions.length > 0 ? regions : [props.region];
}

function stateStatements(props: PlanRolePolicyProps, environment: PlannedEnvironment, state: PlanStateLocation): PolicyStatement[] {
  const object = (stack: string) => `arn:${props.partition}:s3:::${state.bucket}/${state.keyPrefix}/${stack}.tfstate`;
  const planned = environment.plannedStacks.map(object);
  return [
    {
      Sid: "ListTheStateBucket",
      Effect: "Allow",
      Action: "s3:ListBucket",
      Resource: `arn:${props.partition}:s3:::${state.bucket}`,
      Condition: { StringLike: { "s3:prefix": environment.plannedStacks.map((stack) => `${state.keyPrefix}/${stack}.tfstate*`) } },
    },
    { Sid: "ReadThePlannedStacksState", Effect: "Allow", Action: "s3:GetObject", Resource: planned },
    // S3's native lock: the plan writes and removes `<state>.tflock` beside the state it reads.
    { Sid: "LockThePlannedStacksState", Effect: "Allow", Action: ["s3:PutObject", "s3:DeleteObject"], Resource: planned.map((p) => `${p}.tflock`) },
    {
      Sid: "DecryptOnlyThoseStateObjectsThroughS3",
      Effect: "Allow",
      Action: "kms:Decrypt",
      Resource: `arn:${props.partition}:kms:${state.region}:${props.accountId}:key/*`,
      Condition: {
        StringEquals: { "kms:ViaService": `s3.${state.region}.${serviceDnsSuffix(props.partition)}` },
        ArnEquals: { "kms:EncryptionContext:aws:s3:arn": planned },
      },
    },
    { Sid: "NeverReadTheSecretHoldingState", Effect: "Deny", Action: "s3:GetObject", Resource: environment.forbiddenStacks.map(object) },
  ];
}

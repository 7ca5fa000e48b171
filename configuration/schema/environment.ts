import { z } from "zod";
import { SUPPORTED_EKS_VERSIONS, type EksVersion } from "../../constructs/cluster/addon-versions";
import { DEFAULT_PASSWORD_ROTATION, ROTATION_DAYS } from "../../constructs/database/password-rotation";
import { AWS_REGIONS } from "../../constructs/network/aws-regions";
import { isDbInstanceClass, isEc2InstanceType, type DbInstanceClass, type Ec2InstanceType } from "../../lib/units";
import { airflowSchema } from "./airflow";
import { ciSchema } from "./ci";
import { observabilitySchema } from "./observability";
import { extraDbInstanceClassesSchema, extraInstanceTypesSchema } from "./instance-extras";
import { policyWaiversSchema } from "./policy-waivers";

// The shape of an environment file. Field rules that involve one field live here; rules that
// relate fields (min ≤ max, zones in the region, stage minimums) live in rules.ts.

const cidr = z.string().describe("IPv4 CIDR block such as 10.20.0.0/16");
const positiveInt = z.number().int().positive();
const awsIdentifier = z.string().regex(/^[a-zA-Z0-9_.:/-]+$/, "letters, digits and _.:/- only");

/** CloudWatch Logs accepts only these retention periods. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922,
  3288, 3653,
] as const;
const logRetentionDays = z
  .number()
  .refine((d) => (LOG_RETENTION_DAYS as readonly number[]).includes(d), {
    message: `one of the CloudWatch Logs retention periods: ${LOG_RETENTION_DAYS.join(", ")}`,
  });

/** EFS lifecycle policies accept only these ages for moving files to Infrequent Access. */
export const EFS_TRANSITION_DAYS = [1, 7, 14, 30, 60, 90, 180, 270, 365] as const;

const nodeGroupSchema = z
  .object({
    instanceTypes: z
      .array(z.custom<Ec2InstanceType>(isEc2InstanceType, "an EC2 instance type such as m6i.xlarge"))
      .min(1),
    capacityType: z.enum(["ON_DEMAND", "SPOT"]).default("ON_DEMAND"),
    minSize: z.number().int().min(0),
    maxSize: positiveInt.max(450),
    desiredSize: z.number().int().min(0),
    diskSizeGiB: positiveInt.min(20).max(16384).default(50),
  })
  .strict();

/**
 * An extra task pool, e.g. memory-optimised nodes for the few tasks that need 48 GiB. Pools start
 * from zero unless told otherwise; the group's desired size (used only at creation) is its minimum.
 */
const taskPoolSchema = nodeGroupSchema.extend({
  minSize: z.number().int().min(0).default(0),
  desiredSize: z.number().int().min(0).optional(),
});

/** A pool's name is its node label's value and part of its node group's name (at most 37 characters before the suffix). */
export const TASK_POOL_NAME = /^[a-z][a-z0-9-]{0,10}[a-z0-9]$/;
const taskPoolName = z.string().regex(TASK_POOL_NAME, "a pool name of 2-12 lowercase letters, digits or dashes, such as memory");

const nodeGroupsSchema = z
  .object({
    system: nodeGroupSchema,
    /** The default task pool: every task that does not choose another runs here. */
    tasks: nodeGroupSchema,
    /** Further task pools by name; a task chooses one with a node selector on `airflow-platform/pool`. @default {} */
    taskPools: z.record(taskPoolName, taskPoolSchema).default({}),
  })
  .strict();

const existingVpcSchema = z
  .object({
    vpcId: z.string().regex(/^vpc-[0-9a-f]{8,17}$/, "a VPC id such as vpc-0a1b2c3d4e5f67890"),
    privateSubnetIds: z.array(z.string().regex(/^subnet-[0-9a-f]{8,17}$/, "a subnet id")).min(2),
    publicSubnetIds: z.array(z.string().regex(/^subnet-[0-9a-f]{8,17}$/, "a subnet id")),
  })
  .strict();

// With an existing VPC nothing is created: vpcCidr only feeds the overlap checks and NAT
// gateways and subnet CIDRs do not apply (rules.ts says so when they are given).
const networkSchema = z
  .object({
    vpcCidr: cidr.optional(),
    natGateways: z.enum(["single", "perZone"]).optional(),
    privateSubnetCidrs: z.array(cidr).optional(),
    publicSubnetCidrs: z.array(cidr).optional(),
    flowLogRetentionDays: logRetentionDays.default(90),
    existingVpc: existingVpcSchema.optional(),
  })
  .strict();

const clusterSchema = z
  .object({
    version: z.enum(SUPPORTED_EKS_VERSIONS as [EksVersion, ...EksVersion[]], {
      errorMap: () => ({
        message: `an EKS version with pinned add-ons: ${SUPPORTED_EKS_VERSIONS.join(", ")}`,
      }),
    }),
    publicEndpointCidrs: z.array(cidr).default([]),
    serviceIpv4Cidr: cidr.default("172.20.0.0/16"),
    controlPlaneLogRetentionDays: logRetentionDays.default(90),
    adminRoleArns: z
      .array(z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/, "an IAM role ARN"))
      .default([]),
  })
  .strict();

const databaseSchema = z
  .object({
    engineVersion: z.string().regex(/^(16|17)\.\d+$/, "PostgreSQL 16.x or 17.x, e.g. 17.9"),
    instanceClass: z.custom<DbInstanceClass>(isDbInstanceClass, "an RDS instance class such as db.m7g.large"),
    allocatedStorageGiB: z.number().int().min(20).max(65536),
    maxAllocatedStorageGiB: z.number().int().min(20).max(65536),
    maxConnections: z.number().int().min(25).max(5000),
    backupRetentionDays: z.number().int().min(0).max(35),
    multiAz: z.boolean(),
    performanceInsightsRetentionDays: z.number().int().min(7).max(731).default(7),
    backupWindow: z.string().regex(/^\d{2}:\d{2}-\d{2}:\d{2}$/).default("01:00-02:00"),
    maintenanceWindow: z
      .string()
      .regex(/^[a-z]{3}:\d{2}:\d{2}-[a-z]{3}:\d{2}:\d{2}$/)
      .default("sun:03:00-sun:04:00"),
    passwordRotation: z
      .object({
        dayOfWeek: z.enum(ROTATION_DAYS),
        startHourUtc: z.number().int().min(0).max(23),
        hours: z.number().int().min(1).max(24),
      })
      .strict()
      .default(DEFAULT_PASSWORD_ROTATION),
    /**
     * Airflow's own database password, by generation: bumping it by one gives the login PgBouncer
     * does not use a new password and moves PgBouncer to it (constructs/database/airflow-roles.ts).
     * @default 0
     */
    airflowPasswordGeneration: z.number().int().min(0).max(1_000_000).default(0),
  })
  .strict();

const logStorageSchema = z
  .object({
    transitionToInfrequentAccessDays: z
      .number()
      .refine((d) => (EFS_TRANSITION_DAYS as readonly number[]).includes(d), {
        message: `one of ${EFS_TRANSITION_DAYS.join(", ")}`,
      })
      .default(30),
    /**
     * Days task and component logs are kept on the shared volume before the log groomer deletes
     * them; more than transitionToInfrequentAccessDays, or the lifecycle never moves a file.
     * @default 60
     */
    retentionDays: z.number().int().min(1).max(3650).default(60),
  })
  .strict();

const taskImagesSchema = z
  .object({
    repositories: z
      .array(z.string().regex(/^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$/, "an ECR repository name"))
      .default(["airflow-tasks"]),
    keepTaggedImages: positiveInt.max(1000).default(50),
    expireUntaggedAfterDays: positiveInt.max(365).default(14),
  })
  .strict();

const stateBackendSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("local"), directory: z.string().default("terraform-state") }).strict(),
  z
    .object({
      kind: z.literal("s3"),
      bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "an S3 bucket name"),
      region: z.enum(AWS_REGIONS),
      kmsKeyId: awsIdentifier.regex(/^(arn:|alias\/)/, "a KMS key ARN or alias/…"),
      keyPrefix: z.string().default("airflow-platform"),
    })
    .strict(),
]);

export const environmentSchema = z
  .object({
    name: z.string().regex(/^[a-z][a-z0-9-]{1,14}$/, "2-15 lowercase letters, digits or dashes"),
    stage: z.enum(["dev", "staging", "prod"]),
    account: z
      .object({
        id: z.string().regex(/^\d{12}$/, "a 12-digit AWS account id"),
        region: z.enum(AWS_REGIONS),
      })
      .strict(),
    availabilityZones: z.array(z.string()).min(2),
    network: networkSchema,
    cluster: clusterSchema,
    nodeGroups: nodeGroupsSchema,
    database: databaseSchema,
    logStorage: logStorageSchema.default({}),
    taskImages: taskImagesSchema.default({}),
    airflow: airflowSchema,
    observability: observabilitySchema,
    policyWaivers: policyWaiversSchema,
    extraInstanceTypes: extraInstanceTypesSchema,
    extraDbInstanceClasses: extraDbInstanceClassesSchema,
    /**
     * The environment's own name when it is an example whose placeholder values (account,
     * state bucket, Slack workspace, DAG repository) may stay; see placeholder-rules.ts.
     */
    example: z.string().optional(),
    ci: ciSchema,
    stateBackend: stateBackendSchema,
    tags: z.record(z.string()).default({}),
  })
  .strict();

/** What an environment file writes: defaults may be left out. */
export type EnvironmentInput = z.input<typeof environmentSchema>;
/** An environment after the schema: every default filled in. */
export type ParsedEnvironment = z.output<typeof environmentSchema>;
export type NodeGroupSettings = z.output<typeof nodeGroupSchema>;
export type TaskPoolSettings = z.output<typeof taskPoolSchema>;
export type DatabaseSettings = z.output<typeof databaseSchema>;
export type NetworkSettings = z.output<typeof networkSchema>;
export type StateBackendSettings = z.output<typeof stateBackendSchema>;
export type Stage = ParsedEnvironment["stage"];

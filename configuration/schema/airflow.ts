import { z } from "zod";
import { authSchema, uiSchema } from "./access";

// The `airflow` section of an environment: what the platform stack deploys on the cluster.
// Sizes are typed numbers (millicores, MiB), converted to Kubernetes quantities in one place.

const k8sName = z.string().regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, "a Kubernetes name (lowercase, digits, dashes)");

/** SSH (`git@host:org/repo.git`, `ssh://…`) or HTTPS Git URLs; nothing else reaches git-sync. */
export const GIT_URL_PATTERN = /^(?:git@[\w.-]+:[\w./-]+?(?:\.git)?|ssh:\/\/[\w.@-]+(?::\d+)?\/[\w./-]+?(?:\.git)?|https:\/\/[\w.-]+(?::\d+)?\/[\w./-]+?(?:\.git)?)$/;

const resourcesSchema = z
  .object({
    cpuMillicores: z.number().int().min(50).max(64000),
    memoryMiB: z.number().int().min(64).max(512 * 1024),
    cpuLimitMillicores: z.number().int().min(50).max(64000),
    memoryLimitMiB: z.number().int().min(64).max(512 * 1024),
  })
  .strict();

const gitSyncSchema = z
  .object({
    repository: z.string().regex(GIT_URL_PATTERN, "an SSH (git@host:org/repo.git, ssh://…) or HTTPS Git URL"),
    branch: z.string().min(1).default("main"),
    subPath: z.string().default(""),
    periodSeconds: z.number().int().min(5).max(3600).default(60),
    /** The Secret holding the deploy key under `gitSshKey`; required for SSH URLs. */
    sshKeySecretName: k8sName.optional(),
    /**
     * The deploy key in Secrets Manager, put there by hand: the platform stack writes it into the
     * Secret `sshKeySecretName` at apply time, so nobody creates that Secret with kubectl through
     * the private endpoint before the first deploy.
     * @default - the Secret `sshKeySecretName` is created by hand
     */
    sshKeyFromSecretsManager: z
      .object({
        secretArn: z.string().regex(/^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[\w/+=.@-]+$/, "a Secrets Manager secret ARN"),
        /** The JSON key holding the private key, when the secret is a JSON object. @default - the whole secret string */
        jsonKey: z.string().min(1).optional(),
      })
      .strict()
      .optional(),
    /** known_hosts lines for the Git host: host keys are public, and pinning them stops MITM. */
    knownHosts: z.string().optional(),
    /** Existing Secret with GITSYNC_USERNAME/GITSYNC_PASSWORD; for private HTTPS repositories. */
    credentialsSecretName: k8sName.optional(),
  })
  .strict();

/** An image repository without tag or digest: a Docker Hub name, or `<registry host>[:port]/<path>`. */
const IMAGE_REPOSITORY_PATTERN = /^(?:[a-z0-9]+(?:[.-][a-z0-9]+)*(?::\d+)?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;

/** A Docker tag: up to 128 letters, digits, `_`, `.` and `-`, not starting with `.` or `-`. */
const IMAGE_TAG_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

/**
 * The image every Airflow pod and task pod runs. `platform` (the default): the platform's own,
 * built by the pipeline into the environment's ECR (`<resourcePrefix>/airflow`) from
 * constructs/airflow/airflow-image.ts. `prebuilt`: an image a team builds itself, FROM
 * apache/airflow at the chart's Airflow version, with the `datadog` package if Airflow's
 * DogStatsD client is on; the nodes must be able to pull it.
 */
export const airflowImageSchema = z.discriminatedUnion("source", [
  z.object({ source: z.literal("platform") }).strict(),
  z
    .object({
      source: z.literal("prebuilt"),
      repository: z.string().regex(IMAGE_REPOSITORY_PATTERN, "an image repository without tag or digest, e.g. 123456789012.dkr.ecr.eu-west-1.amazonaws.com/airflow"),
      tag: z
        .string()
        .regex(IMAGE_TAG_PATTERN, "a Docker tag (letters, digits, _ . -, at most 128)")
        .refine((tag) => tag !== "latest", "a tag that names one build, not latest: Airflow rolls only when the tag in its chart values changes"),
    })
    .strict(),
]);

export const airflowSchema = z
  .object({
    namespace: k8sName.default("airflow"),
    /** Where KubernetesPodOperator tasks run, apart from Airflow's own pods. */
    taskNamespace: k8sName.default("airflow-tasks"),
    /** `[core] parallelism`: task instances running at once across the platform. */
    parallelism: z.number().int().min(1).max(2048),
    schedulerReplicas: z.number().int().min(1).max(4),
    apiServerReplicas: z.number().int().min(1).max(4),
    pgbouncer: z
      .object({
        replicas: z.number().int().min(1).max(4).default(1),
        maxClientConnections: z.number().int().min(10).max(10000).default(1000),
        /** Server connections per PgBouncer replica for the metadata database, its only pool. */
        metadataPoolSize: z.number().int().min(1).max(500),
      })
      .strict(),
    gitSync: gitSyncSchema,
    /** Requests and limits of every task pod (KubernetesExecutor and KubernetesPodOperator). */
    taskPod: resourcesSchema,
    /**
     * Named sizes the DAGs give big tasks through a pod override (`executor_config`), e.g.
     * `bigmem`. Each must fit one of the task pools; `npm run capacity` maps tasks to them by name.
     * @default {}
     */
    taskSizes: z.record(k8sName, resourcesSchema).default({}),
    /**
     * Whether a DAG new to Airflow starts paused (`[core] dags_are_paused_at_creation`). Off by
     * default: the DAG repository is reviewed, and a paused nightly DAG would wait for a click.
     * @default false
     */
    dagsPausedAtCreation: z.boolean().default(false),
    /** IRSA role for the task service account, for tasks that read or write S3. @default - none */
    taskRoleArn: z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/, "an IAM role ARN").optional(),
    /**
     * Ceiling for everything in the task namespace at once.
     * @default - every task pool at its maximum size (see configuration/derived/task-pools.ts)
     */
    taskQuota: z
      .object({
        cpuMillicores: z.number().int().min(100),
        memoryMiB: z.number().int().min(128),
        pods: z.number().int().min(1).max(20000),
      })
      .strict()
      .optional(),
    /** Airflow's image. @default { source: "platform" }: built by the pipeline into the environment's ECR */
    image: airflowImageSchema.default({ source: "platform" }),
    /**
     * Chart values this project does not model, merged over the ones it builds and validated
     * against the chart's schema like the rest. @default {}
     */
    chartValueOverrides: z.record(z.unknown()).default({}),
    /**
     * Overrides of protected chart values (protected-values.ts) accepted anyway, each with its
     * reason, as policyWaivers are for policy rules. @default []
     */
    chartValueWaivers: z
      .array(
        z
          .object({
            path: z.string().min(1),
            reason: z.string().trim().min(20, "a reason of at least 20 characters: why the platform's guarantee does not apply here"),
          })
          .strict(),
      )
      .default([]),
    /** The API server's Ingress. @default - none: the UI is reachable only with kubectl port-forward */
    ui: uiSchema.optional(),
    /** Single sign-on and the break-glass administrator. */
    auth: authSchema.default({}),
    /** Secret names the operator may pre-create; the stack creates them otherwise. */
    secretNames: z
      .object({
        fernetKey: k8sName.default("airflow-fernet-key"),
        apiSecretKey: k8sName.default("airflow-api-secret-key"),
        jwtSecret: k8sName.default("airflow-jwt-secret"),
      })
      .strict()
      .default({}),
  })
  .strict();

export type AirflowSettings = z.output<typeof airflowSchema>;
export type TaskPodResources = z.output<typeof resourcesSchema>;
export type AirflowImageSettings = z.output<typeof airflowImageSchema>;

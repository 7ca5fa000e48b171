import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { before, describe, it } from "node:test";
import { EKS_ADDON_VERSIONS } from "../../constructs/cluster/addon-versions";
import { CONTROL_PLANE_LOG_TYPES } from "../../constructs/cluster/eks-cluster";
import { RUNNER_IMAGE } from "../../constructs/ci/github-actions-runner";
import { rotationRules } from "../../constructs/database/password-rotation";
import { loadEnvironments } from "../../environments";
import type { EnvironmentConfig } from "../../configuration/schema/environment-config";
import { airflowImageFor } from "../../configuration/derived/airflow-image";
import { airflowImageRepositoryName, ciRunnerProjectName } from "../../configuration/derived/resource-names";
import { MIN_BACKUP_RETENTION_DAYS } from "../../configuration/rules/environment-rules";
import { SYSTEM_POOL } from "../../constructs/cluster/node-placement";
import { taskPools } from "../../configuration/derived/task-pools";
import { evaluateEnvironment } from "../../tools/policy/evaluate-environment";
import { PLATFORM_WAIVERS } from "../../tools/policy/waivers";
import { asgTagsOf, kmsKeyRef, nodeGroupOf } from "../support/plan-queries";
import { rememberPlan } from "../support/plan-cache";
import { resourcesOfType, synthesize } from "../support/synth";
import {
  AWS_PROVIDER_VERSION,
  onlyPlanned,
  planOffline,
  plannedResources,
  referencesOf,
  type PlanResult,
} from "../support/terraform";

// Real Terraform, real AWS provider from the local mirror, no network: every shipped
// environment's infrastructure stack must init, validate and plan, and the plan must show the
// properties the platform's safety rests on.

const environments = loadEnvironments(undefined);
const synthesized = synthesize(environments);

function rotationRulesOf(config: EnvironmentConfig): { schedule_expression: string; duration: string } {
  const rules = rotationRules(config.database.passwordRotation);
  return { schedule_expression: rules.scheduleExpression, duration: rules.duration };
}

for (const config of environments) {
  describe(`${config.name}-infrastructure offline plan`, () => {
    let result: PlanResult;
    before(() => {
      result = planOffline(synthesized.stackDir(`${config.name}-infrastructure`));
      rememberPlan(synthesized.stackDir(`${config.name}-infrastructure`), result.plan);
    });

    it("validates and plans only creations, with hashicorp/aws from the mirror", () => {
      assert.match(result.validateOutput, /The configuration is valid/);
      const lock = readFileSync(join(result.workdir, ".terraform.lock.hcl"), "utf8");
      assert.match(lock, new RegExp(`provider "registry.terraform.io/hashicorp/aws"[\\s\\S]*version\\s+=\\s+"${AWS_PROVIDER_VERSION}"`));
      const actions = new Set(result.plan.resource_changes.flatMap((c) => c.change.actions));
      assert.deepEqual([...actions], ["create"]);
    });

    it("keeps the EKS API private, encrypts Secrets with its own key and logs everything", () => {
      const cluster = onlyPlanned(result.plan, "aws_eks_cluster").values;
      const vpcConfig = (cluster.vpc_config as Record<string, unknown>[])[0];
      assert.equal(vpcConfig.endpoint_private_access, true);
      assert.equal(vpcConfig.endpoint_public_access, config.cluster.publicEndpointCidrs.length > 0);
      assert.equal(cluster.version, config.eksVersion);
      assert.deepEqual((cluster.encryption_config as Record<string, unknown>[])[0].resources, ["secrets"]);
      assert.ok(kmsKeyRef(referencesOf(result.plan, "aws_eks_cluster", ["encryption_config", 0, "provider", 0, "key_arn"]), "eks-secrets"));
      assert.deepEqual([...(cluster.enabled_cluster_log_types as string[])].sort(), [...CONTROL_PLANE_LOG_TYPES].sort());
      assert.equal((cluster.access_config as Record<string, unknown>[])[0].authentication_mode, "API");
      const logGroup = plannedResources(result.plan, "aws_cloudwatch_log_group").find((g) => g.values.name === `/aws/eks/${config.clusterName}/cluster`);
      assert.equal(logGroup?.values.retention_in_days, config.cluster.controlPlaneLogRetentionDays);
    });

    it("rotates every KMS key and gives IRSA an OIDC provider for STS", () => {
      const keys = plannedResources(result.plan, "aws_kms_key");
      assert.equal(keys.length, 6);
      for (const key of keys) assert.equal(key.values.enable_key_rotation, true, key.address);
      assert.deepEqual(onlyPlanned(result.plan, "aws_iam_openid_connect_provider").values.client_id_list, ["sts.amazonaws.com"]);
    });

    it("pins the four managed add-ons to the versions of the cluster's minor", () => {
      const addons = Object.fromEntries(plannedResources(result.plan, "aws_eks_addon").map((a) => [a.values.addon_name, a.values.addon_version]));
      assert.deepEqual(addons, { ...EKS_ADDON_VERSIONS[config.eksVersion] });
    });

    it("launches nodes that require IMDSv2 (hop limit 1) on encrypted gp3 volumes", () => {
      const templates = plannedResources(result.plan, "aws_launch_template");
      assert.equal(templates.length, 1 + taskPools(config).length, "one per node group: system and every task pool");
      for (const template of templates) {
        const metadata = (template.values.metadata_options as Record<string, unknown>[])[0];
        assert.equal(metadata.http_tokens, "required");
        assert.equal(metadata.http_put_response_hop_limit, 1);
        const ebs = ((template.values.block_device_mappings as Record<string, unknown>[])[0].ebs as Record<string, unknown>[])[0];
        assert.equal(ebs.volume_type, "gp3");
        assert.equal(ebs.encrypted, "true");
      }
    });

    it("runs the system group on demand, from at least one node, untainted", () => {
      const system = nodeGroupOf(result.plan, SYSTEM_POOL);
      assert.equal(system.values.capacity_type, "ON_DEMAND");
      assert.ok(((system.values.scaling_config as Record<string, number>[])[0].min_size) >= 1);
      assert.deepEqual(system.values.taint, []);
    });

    for (const pool of taskPools(config)) {
      it(`sizes, labels, taints and tags the ${pool.name} pool so the autoscaler can grow it from zero`, () => {
        const group = nodeGroupOf(result.plan, pool.name);
        const scaling = (group.values.scaling_config as Record<string, unknown>[])[0];
        assert.equal(scaling.min_size, pool.settings.minSize);
        assert.equal(scaling.max_size, pool.settings.maxSize);
        assert.deepEqual(group.values.instance_types, [...pool.settings.instanceTypes]);
        assert.equal(group.values.capacity_type, pool.settings.capacityType);
        const taintValue = pool.name === "tasks" ? "true" : pool.name;
        assert.deepEqual(group.values.taint, [{ key: "airflow-platform/tasks", value: taintValue, effect: "NO_SCHEDULE" }]);
        const templateTags = {
          "k8s.io/cluster-autoscaler/node-template/label/airflow-platform/pool": pool.name,
          "k8s.io/cluster-autoscaler/node-template/taint/airflow-platform/tasks": `${taintValue}:NoSchedule`,
          "k8s.io/cluster-autoscaler/node-template/resources/ephemeral-storage": `${Math.floor(pool.settings.diskSizeGiB * 0.9 - 1)}Gi`,
        };
        const tags = group.values.tags as Record<string, string>;
        assert.equal(tags["k8s.io/cluster-autoscaler/enabled"], "true");
        assert.equal(tags[`k8s.io/cluster-autoscaler/${config.clusterName}`], "owned");
        for (const [key, value] of Object.entries(templateTags)) assert.equal(tags[key], value, key);
        // From zero the autoscaler reads the Auto Scaling group's tags, not the node group's.
        assert.deepEqual(asgTagsOf(result.plan, group.address), templateTags);
      });
    }

    it("lets the autoscaler resize only this cluster's groups", () => {
      const policy = plannedResources(result.plan, "aws_iam_role_policy").find((p) => String(p.values.name).endsWith("-cluster-autoscaler"));
      assert.ok(policy, "an inline policy on the autoscaler role");
      const document = JSON.parse(String(policy.values.policy)) as { Statement: { Action: string | string[]; Condition?: Record<string, Record<string, string>> }[] };
      const writes = document.Statement.find((s) => [s.Action].flat().includes("autoscaling:SetDesiredCapacity"));
      assert.deepEqual(writes?.Condition, { StringEquals: { [`aws:ResourceTag/k8s.io/cluster-autoscaler/${config.clusterName}`]: "owned" } });
    });

    it("builds the network across the zones with the NAT gateways the stage calls for", () => {
      const zones = config.availabilityZones.length;
      const subnets = plannedResources(result.plan, "aws_subnet");
      assert.equal(subnets.filter((s) => (s.values.tags as Record<string, string>)["kubernetes.io/role/internal-elb"] === "1").length, zones);
      assert.equal(subnets.filter((s) => (s.values.tags as Record<string, string>)["kubernetes.io/role/elb"] === "1").length, zones);
      for (const subnet of subnets) assert.notEqual(subnet.values.map_public_ip_on_launch, true);
      assert.equal(plannedResources(result.plan, "aws_nat_gateway").length, config.network.natGateways === "perZone" ? zones : 1);
    });

    it("stores task logs on encrypted elastic EFS reachable from the nodes as uid 50000", () => {
      const fileSystem = onlyPlanned(result.plan, "aws_efs_file_system").values;
      assert.equal(fileSystem.encrypted, true);
      assert.equal(fileSystem.throughput_mode, "elastic");
      assert.ok(kmsKeyRef(referencesOf(result.plan, "aws_efs_file_system", ["kms_key_id"]), "log-storage"));
      assert.equal(plannedResources(result.plan, "aws_efs_mount_target").length, config.availabilityZones.length);
      const accessPoint = onlyPlanned(result.plan, "aws_efs_access_point").values;
      assert.deepEqual((accessPoint.posix_user as Record<string, unknown>[])[0], { uid: 50000, gid: 0, secondary_gids: null });
      const backup = onlyPlanned(result.plan, "aws_efs_backup_policy").values;
      assert.deepEqual(backup.backup_policy, [{ status: "ENABLED" }]);
      const nfs = plannedResources(result.plan, "aws_vpc_security_group_ingress_rule").filter((r) => r.values.from_port === 2049);
      assert.equal(nfs.length, 1);
      assert.equal(nfs[0].values.cidr_ipv4, null);
    });

    it("runs the metadata database encrypted, private, TLS-only, with an RDS-managed password", () => {
      const db = onlyPlanned(result.plan, "aws_db_instance").values;
      assert.equal(db.engine, "postgres");
      assert.equal(db.engine_version, config.database.engineVersion);
      assert.equal(db.storage_encrypted, true);
      assert.equal(db.storage_type, "gp3");
      assert.equal(db.manage_master_user_password, true);
      assert.equal(db.password, null);
      assert.equal(db.publicly_accessible, false);
      assert.equal(db.multi_az, config.database.multiAz);
      assert.equal(db.deletion_protection, config.protectData);
      assert.equal(db.skip_final_snapshot, !config.protectData);
      assert.equal(db.performance_insights_enabled, true);
      assert.ok((db.backup_retention_period as number) >= MIN_BACKUP_RETENTION_DAYS[config.stage]);
      assert.ok(kmsKeyRef(referencesOf(result.plan, "aws_db_instance", ["kms_key_id"]), "database"));
      const parameters = onlyPlanned(result.plan, "aws_db_parameter_group").values.parameter as { name: string; value: string }[];
      const byName = Object.fromEntries(parameters.map((p) => [p.name, p.value]));
      assert.equal(byName.max_connections, String(config.database.maxConnections));
      assert.equal(byName["rds.force_ssl"], "1");
      const postgres = plannedResources(result.plan, "aws_vpc_security_group_ingress_rule").filter((r) => r.values.from_port === 5432);
      assert.equal(postgres.length, 1);
      // The database's rule, among the configured ingress rules (the runner's on the cluster group is another).
      const databaseRule = result.plan.configuration.root_module.resources
        .filter((r) => r.type === "aws_vpc_security_group_ingress_rule")
        .findIndex((r) => (r as unknown as { expressions: { from_port?: { constant_value?: unknown } } }).expressions.from_port?.constant_value === 5432);
      assert.ok(referencesOf(result.plan, "aws_vpc_security_group_ingress_rule", ["referenced_security_group_id"], databaseRule).some((r) => r.startsWith("aws_eks_cluster.")));
    });

    it("rotates the master password in the environment's weekly window, not at creation", () => {
      const rotation = onlyPlanned(result.plan, "aws_secretsmanager_secret_rotation").values;
      assert.equal(rotation.rotate_immediately, false);
      assert.deepEqual(rotation.rotation_rules, [{ ...rotationRulesOf(config), automatically_after_days: null }]);
      assert.equal(rotation.rotation_lambda_arn, null, "RDS rotates its own secret");
      assert.ok(referencesOf(result.plan, "aws_secretsmanager_secret_rotation", ["secret_id"]).some((r) => r.startsWith("aws_db_instance.")));
    });

    it("lets the database bootstrap Job's service account read the master secret and nothing else", () => {
      const stack = synthesized.stackJson(`${config.name}-infrastructure`);
      const roleName = `${config.resourcePrefix}-db-bootstrap`;
      const [logicalId, policy] = resourcesOfType(stack, "aws_iam_role_policy").find(([, p]) => p.name === roleName) ?? [];
      assert.ok(policy && logicalId, `an inline policy named ${roleName}`);
      const document = JSON.parse(String(policy.policy)) as { Statement: Record<string, unknown>[] };
      const masterSecret = /^\$\{aws_db_instance\.metadata-database_instance_[0-9A-F]+\.master_user_secret\[0\]\.secret_arn\}$/;
      assert.deepEqual(document.Statement.map((s) => s.Action), ["secretsmanager:GetSecretValue", "kms:Decrypt"]);
      assert.match(String(document.Statement[0].Resource), masterSecret);
      assert.match(String(document.Statement[1].Resource), /^\$\{aws_kms_key\.keys_database_key_[0-9A-F]+\.arn\}$/);
      assert.deepEqual(document.Statement[1].Condition, { StringEquals: { "kms:ViaService": `secretsmanager.${config.account.region}.amazonaws.com` } });
      // Terraform plans it, with those references, and the role trusts one service account.
      const planned = plannedResources(result.plan, "aws_iam_role_policy").find((p) => p.values.name === roleName);
      assert.ok(planned, "planned");
      const configured = result.plan.configuration.root_module.resources.find((r) => r.address === `aws_iam_role_policy.${logicalId}`) as { expressions: { policy: { references: string[] } } } | undefined;
      assert.ok(configured?.expressions.policy.references.some((r) => /^aws_db_instance\..*\.master_user_secret$/.test(r)), JSON.stringify(configured?.expressions.policy.references));
      const [, role] = resourcesOfType(stack, "aws_iam_role").find(([, r]) => r.name === roleName) ?? [];
      assert.match(String(role?.assume_role_policy), new RegExp(`system:serviceaccount:${config.airflow.namespace}:airflow-db-bootstrap`));
    });

    it("keeps Airflow's image and the task images in immutable, scanned ECR repositories encrypted with the images key", () => {
      const repositories = plannedResources(result.plan, "aws_ecr_repository");
      const names = repositories.map((r) => r.values.name).sort();
      assert.deepEqual(names, [airflowImageRepositoryName(config), ...config.taskImages.repositories.map((r) => `${config.resourcePrefix}/${r}`)].sort());
      const configured = result.plan.configuration.root_module.resources.filter((r) => r.type === "aws_ecr_repository");
      repositories.forEach((repository, i) => {
        assert.equal(repository.values.image_tag_mutability, "IMMUTABLE", repository.address);
        assert.deepEqual(repository.values.image_scanning_configuration, [{ scan_on_push: true }], repository.address);
        assert.equal((repository.values.encryption_configuration as Record<string, unknown>[])[0].encryption_type, "KMS", repository.address);
        assert.equal(configured[i].address, repository.address);
        assert.ok(kmsKeyRef(referencesOf(result.plan, "aws_ecr_repository", ["encryption_configuration", 0, "kms_key"], i), "images"), `${repository.address}: the customer key`);
      });
      // The chart values name the repository by the URL ECR forms from its name (plain string, no token).
      const image = airflowImageFor(config);
      assert.equal(image.repository, `${config.account.id}.dkr.ecr.${config.account.region}.amazonaws.com/${airflowImageRepositoryName(config)}`);
      const lifecycles = plannedResources(result.plan, "aws_ecr_lifecycle_policy");
      assert.equal(lifecycles.length, repositories.length, "a lifecycle for every repository");
      assert.equal(new Set(lifecycles.map((l) => l.values.policy)).size, 1, "Airflow's image expires like the task images");
    });

    it("runs the pipeline's GitHub Actions runner in CodeBuild in the private subnets, started only by this repository's queued jobs", () => {
      const project = onlyPlanned(result.plan, "aws_codebuild_project").values;
      assert.equal(project.name, ciRunnerProjectName(config));
      const [source] = project.source as Record<string, unknown>[];
      assert.equal(source.type, "GITHUB");
      assert.equal(source.location, `https://github.com/${config.ci.repository}.git`);
      assert.deepEqual(source.auth, [{ type: "CODECONNECTIONS", resource: config.ci.connectionArn }]);
      const [environment] = project.environment as Record<string, unknown>[];
      assert.deepEqual([environment.type, environment.image, environment.compute_type, environment.privileged_mode], ["LINUX_CONTAINER", RUNNER_IMAGE, config.ci.runner.computeType, false]);
      const subnets = referencesOf(result.plan, "aws_codebuild_project", ["vpc_config", 0, "subnets"]).filter((r) => /^aws_subnet\.[^.]+$/.test(r));
      assert.deepEqual(subnets.map((r) => r.replace(/_[0-9A-F]+$/, "")).sort(), config.availabilityZones.map((zone) => `aws_subnet.network_private-${zone}`).sort());
      assert.ok(referencesOf(result.plan, "aws_codebuild_project", ["vpc_config", 0, "vpc_id"]).some((r) => r.startsWith("aws_vpc.")));
      const webhook = onlyPlanned(result.plan, "aws_codebuild_webhook").values;
      assert.equal(webhook.project_name, ciRunnerProjectName(config));
      const actors = `^(${(config.ci.runnerActorIds ?? []).join("|")})$`;
      assert.deepEqual(webhook.filter_group, [
        { filter: [{ type: "EVENT", pattern: "WORKFLOW_JOB_QUEUED", exclude_matched_pattern: false }, { type: "ACTOR_ACCOUNT_ID", pattern: actors, exclude_matched_pattern: false }] },
      ]);
      assert.deepEqual(webhook.scope_configuration, [], "a repository webhook, not an organisation-wide one");
    });

    it("lets the runner, and only it, reach the cluster's private API on 443, and gives the plan role read access", () => {
      const runnerGroup = plannedResources(result.plan, "aws_security_group").find((g) => g.values.name === ciRunnerProjectName(config));
      assert.ok(runnerGroup, "the runner's own security group");
      const apiRules = result.plan.configuration.root_module.resources
        .filter((r) => r.type === "aws_vpc_security_group_ingress_rule")
        .map((r) => r as unknown as { address: string; expressions: Record<string, { constant_value?: unknown; references?: string[] }> })
        .filter((r) => r.expressions.from_port?.constant_value === 443);
      assert.equal(apiRules.length, 1);
      assert.ok(apiRules[0].expressions.security_group_id.references?.some((ref) => ref.startsWith("aws_eks_cluster.")), "a rule on the cluster security group");
      assert.ok(apiRules[0].expressions.referenced_security_group_id.references?.includes(runnerGroup.address), "from the runner's group");
      const egress = plannedResources(result.plan, "aws_vpc_security_group_egress_rule").map((r) => [r.values.from_port, r.values.to_port, r.values.cidr_ipv4]);
      assert.deepEqual(egress, [[443, 443, "0.0.0.0/0"]]);
      const entry = onlyPlanned(result.plan, "aws_eks_access_entry").values;
      assert.equal(entry.principal_arn, config.ci.planRoleArn);
      const association = onlyPlanned(result.plan, "aws_eks_access_policy_association").values;
      assert.equal(association.principal_arn, config.ci.planRoleArn);
      assert.equal(association.policy_arn, "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy", "view without Secrets");
      assert.deepEqual(association.access_scope, [{ type: "cluster", namespaces: null }]);
    });

    it("passes the policy suite on the real plan, waivers aside", () => {
      const results = evaluateEnvironment(config, { stackDir: synthesized.stackDir, infrastructurePlan: result.plan });
      assert.ok(results.length > 150, `${results.length} checks ran`);
      assert.deepEqual(results.filter((r) => r.status === "fail"), []);
      for (const waived of results.filter((r) => r.status === "waived")) {
        assert.ok([...PLATFORM_WAIVERS, ...config.policyWaivers].some((w) => w.rule === waived.rule), waived.rule);
      }
    });

    it("exposes the outputs the platform stack consumes", () => {
      const outputs = Object.keys((result.plan as unknown as { output_changes: Record<string, unknown> }).output_changes);
      for (const name of ["cluster_name", "cluster_endpoint", "cluster_certificate_authority", "oidc_provider_arn", "cluster_autoscaler_role_arn", "efs_csi_driver_role_arn", "log_file_system_id", "log_access_point_id", "database_address", "database_port", "database_name", "database_secret_arn", "ci_runner_project", "database_bootstrap_role_arn", "airflow_image_repository_url"]) {
        assert.ok(outputs.includes(name), `output ${name}`);
      }
    });
  });
}

export type { EnvironmentConfig };

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { TerraformStack } from "../../constructs/core";
import { loadEnvironments, validateEnvironment } from "../../environments";
import { airflowImageFor } from "../../configuration/derived/airflow-image";
import { constructPathForField } from "../../configuration/derived/construct-paths";
import { shippedWith } from "../support/environments";
import { resourcesOfType, synthesize, type StackJson } from "../support/synth";

const environments = loadEnvironments(undefined);
const synthesized = synthesize(environments);
const stackOf = (env: string): StackJson => synthesized.stackJson(`${env}-infrastructure`);

function lifecycleOf(resource: Record<string, unknown>): Record<string, unknown> {
  return (resource.lifecycle as Record<string, unknown> | undefined) ?? {};
}

describe("infrastructure stack synthesis", () => {
  it("writes exactly the <env>-infrastructure, <env>-platform and <env>-observability stacks, and a bootstrap-<account> per account", () => {
    const stacks = synthesized.app.node.findAll().filter((c) => TerraformStack.isStack(c)).map((c) => c.node.id).sort();
    const accounts = [...new Set(environments.map((e) => `bootstrap-${e.account.id}`))];
    const expected = [...environments.flatMap((e) => ["infrastructure", "observability", "platform"].map((layer) => `${e.name}-${layer}`)), ...accounts].sort();
    assert.deepEqual(stacks, expected);
  });

  it("names, in configuration errors, construct paths that exist in the tree", () => {
    const paths = new Set(synthesized.app.node.findAll().map((c) => c.node.path));
    const fields = [["network", "vpcCidr"], ["cluster", "version"], ["nodeGroups", "tasks", "minSize"], ["nodeGroups", "system", "maxSize"], ["nodeGroups", "taskPools", "memory", "maxSize"], ["database", "multiAz"], ["database", "airflowPasswordGeneration"], ["airflow", "pgbouncer", "metadataPoolSize"], ["logStorage", "transitionToInfrequentAccessDays"], ["taskImages", "repositories"], ["account", "id"]];
    for (const env of environments) {
      for (const field of fields) {
        const path = constructPathForField(env.name, field);
        assert.ok(paths.has(path), `${field.join(".")} → ${path} exists`);
      }
    }
  });

  it("lets the autoscaler own desired_size after creation", () => {
    for (const env of environments) {
      for (const [id, group] of resourcesOfType(stackOf(env.name), "aws_eks_node_group")) {
        assert.deepEqual(lifecycleOf(group).ignore_changes, ["scaling_config[0].desired_size"], id);
      }
    }
  });

  it("guards the database, file system and keys with prevent_destroy outside dev", () => {
    for (const env of environments) {
      const stack = stackOf(env.name);
      for (const type of ["aws_db_instance", "aws_efs_file_system", "aws_kms_key"]) {
        const resources = resourcesOfType(stack, type);
        assert.ok(resources.length > 0);
        for (const [id, resource] of resources) {
          assert.equal(lifecycleOf(resource).prevent_destroy, env.stage !== "dev", `${env.name} ${type}.${id}`);
        }
      }
    }
  });

  it("keeps dev state local and staging/prod state in encrypted, lock-filed S3", () => {
    assert.deepEqual(stackOf("dev").terraform.backend, { local: { path: "../../../terraform-state/dev-infrastructure.tfstate" } });
    for (const env of ["staging", "prod"]) {
      const s3 = stackOf(env).terraform.backend.s3;
      assert.equal(s3.key, `airflow-platform/${env}-infrastructure.tfstate`);
      assert.equal(s3.encrypt, true);
      assert.equal(s3.use_lockfile, true);
      assert.match(String(s3.kms_key_id), /^alias\//);
    }
  });

  it("pins the provider to the environment's account and ships no offline shortcuts", () => {
    for (const env of environments) {
      const [aws] = stackOf(env.name).provider.aws;
      assert.deepEqual(aws.allowed_account_ids, [env.account.id]);
      assert.equal(aws.region, env.account.region);
      for (const shortcut of ["access_key", "secret_key", "skip_credentials_validation", "skip_requesting_account_id", "skip_metadata_api_check"]) {
        assert.equal(shortcut in aws, false, shortcut);
      }
    }
  });

  it("writes no password or access key into any stack", () => {
    for (const env of environments) {
      const text = JSON.stringify(stackOf(env.name));
      assert.doesNotMatch(text, /"(master_)?password"\s*:/);
      assert.doesNotMatch(text, /AKIA[0-9A-Z]{16}/);
    }
  });
});

describe("the repository of Airflow's image", () => {
  it("is <resourcePrefix>/airflow, the repository the chart values name, and an output", () => {
    for (const env of environments) {
      const stack = stackOf(env.name);
      const names = resourcesOfType(stack, "aws_ecr_repository").map(([, r]) => r.name);
      assert.deepEqual(names.sort(), [...env.taskImages.repositories.map((r) => `${env.resourcePrefix}/${r}`), `${env.resourcePrefix}/airflow`].sort());
      // The chart values name it as a plain URL; ECR forms the real one from the same name.
      assert.ok(airflowImageFor(env).repository.endsWith(`.amazonaws.com/${env.resourcePrefix}/airflow`));
      const outputs = (stack as unknown as { output: Record<string, { value: string }> }).output;
      assert.match(outputs.airflow_image_repository_url.value, /^\$\{aws_ecr_repository\.airflow-image_repository_[0-9A-F]+\.repository_url\}$/);
    }
  });

  it("is not created for an environment that runs a team's prebuilt image", () => {
    const result = validateEnvironment(shippedWith("dev", { name: "team", airflow: { image: { source: "prebuilt", repository: "registry.internal/data/airflow", tag: "3.1.8-7" } } }));
    assert.ok(result.ok, JSON.stringify(result));
    const stack = synthesize([result.config]).stackJson("team-infrastructure");
    assert.deepEqual(resourcesOfType(stack, "aws_ecr_repository").map(([, r]) => r.name), ["airflow-team/airflow-tasks"]);
    assert.equal((stack as unknown as { output: Record<string, unknown> }).output.airflow_image_repository_url, undefined);
  });
});

describe("an environment on an existing VPC", () => {
  it("creates no network and places the cluster in the given subnets", () => {
    const result = validateEnvironment(
      shippedWith("dev", {
        name: "shared",
        network: { natGateways: undefined, existingVpc: { vpcId: "vpc-0123456789abcdef0", privateSubnetIds: ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa2"], publicSubnetIds: [] } },
      }),
    );
    assert.ok(result.ok, JSON.stringify(result));
    const stack = synthesize([result.config]).stackJson("shared-infrastructure");
    for (const type of ["aws_vpc", "aws_subnet", "aws_nat_gateway", "aws_internet_gateway"]) {
      assert.equal(resourcesOfType(stack, type).length, 0, type);
    }
    const [[, cluster]] = resourcesOfType(stack, "aws_eks_cluster");
    assert.deepEqual((cluster.vpc_config as Record<string, unknown>).subnet_ids, ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa2"]);
    const [[, securityGroup]] = resourcesOfType(stack, "aws_security_group");
    assert.equal(securityGroup.vpc_id, "vpc-0123456789abcdef0");
  });
});

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { clusterAutoscalerPolicy } from "../../constructs/autoscaler/cluster-autoscaler-role";
import { amiTypeFor, clusterAutoscalerTags } from "../../constructs/cluster/managed-node-group";
import { TASKS_TAINT } from "../../constructs/cluster/node-placement";
import { irsaTrustPolicy } from "../../constructs/iam/irsa-role";
import { cloudWatchLogsKeyStatement, encryptionKeyPolicy } from "../../constructs/security/encryption-key";

describe("IRSA trust policy", () => {
  it("admits one service account, through STS, from the cluster's issuer only", () => {
    const policy = irsaTrustPolicy(
      { providerArn: "arn:aws:iam::111111111111:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC", issuerHost: "oidc.eks.eu-west-1.amazonaws.com/id/ABC" },
      { namespace: "kube-system", name: "cluster-autoscaler" },
    );
    assert.equal(policy.Statement.length, 1);
    const [statement] = policy.Statement;
    assert.equal(statement.Action, "sts:AssumeRoleWithWebIdentity");
    assert.deepEqual(statement.Principal, { Federated: "arn:aws:iam::111111111111:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC" });
    assert.deepEqual(statement.Condition, {
      StringEquals: {
        "oidc.eks.eu-west-1.amazonaws.com/id/ABC:sub": "system:serviceaccount:kube-system:cluster-autoscaler",
        "oidc.eks.eu-west-1.amazonaws.com/id/ABC:aud": "sts.amazonaws.com",
      },
    });
  });
});

describe("Cluster Autoscaler policy", () => {
  const policy = clusterAutoscalerPolicy({ clusterName: "airflow-prod", partition: "aws", region: "eu-west-1", accountId: "333333333333" });

  it("conditions every write on this cluster's ownership tag", () => {
    const writes = policy.Statement.filter((s) => [s.Action].flat().some((a) => !/:(Describe|Get)/.test(a)));
    assert.ok(writes.length > 0);
    for (const statement of writes) {
      assert.deepEqual(statement.Condition, { StringEquals: { "aws:ResourceTag/k8s.io/cluster-autoscaler/airflow-prod": "owned" } });
      assert.notEqual(statement.Resource, "*");
    }
  });

  it("grants '*' resources only to read-only calls", () => {
    for (const statement of policy.Statement.filter((s) => s.Resource === "*")) {
      for (const action of [statement.Action].flat()) assert.match(action, /:(Describe|Get)/, action);
    }
  });
});

describe("KMS key policy", () => {
  it("administers through the account root, never a wildcard, and scopes CloudWatch Logs", () => {
    const policy = encryptionKeyPolicy({
      accountId: "111111111111",
      partition: "aws",
      region: "eu-west-1",
      serviceSuffix: "amazonaws.com",
      users: {},
      serviceStatements: [cloudWatchLogsKeyStatement("eu-west-1", "111111111111", "aws", "amazonaws.com")],
    });
    assert.deepEqual(policy.Statement[0].Principal, { AWS: "arn:aws:iam::111111111111:root" });
    const logs = policy.Statement[1];
    assert.deepEqual(logs.Principal, { Service: "logs.eu-west-1.amazonaws.com" });
    assert.deepEqual(logs.Condition, { ArnLike: { "kms:EncryptionContext:aws:logs:arn": "arn:aws:logs:eu-west-1:111111111111:log-group:*" } });
  });
});

describe("node group helpers", () => {
  it("tags a group so the autoscaler can scale it from zero", () => {
    const tags = clusterAutoscalerTags("airflow-dev", { "airflow-platform/pool": "tasks" }, [TASKS_TAINT]);
    assert.deepEqual(tags, {
      "k8s.io/cluster-autoscaler/enabled": "true",
      "k8s.io/cluster-autoscaler/airflow-dev": "owned",
      "k8s.io/cluster-autoscaler/node-template/label/airflow-platform/pool": "tasks",
      "k8s.io/cluster-autoscaler/node-template/taint/airflow-platform/tasks": "true:NoSchedule",
    });
  });

  it("picks the AMI architecture from the instance types and refuses a mix", () => {
    assert.equal(amiTypeFor(["m6i.xlarge", "m7i.xlarge"]), "AL2023_x86_64_STANDARD");
    assert.equal(amiTypeFor(["m7g.xlarge", "c6gn.2xlarge"]), "AL2023_ARM_64_STANDARD");
    assert.throws(() => amiTypeFor(["m6i.xlarge", "m7g.xlarge"]), /mix arm64 and x86_64/);
    // Graviton 1 has no "g" after its generation digit: only the data knows it is arm64.
    assert.equal(amiTypeFor(["a1.xlarge"]), "AL2023_ARM_64_STANDARD");
    assert.equal(amiTypeFor(["m9z.large"], "arm64"), "AL2023_ARM_64_STANDARD");
    assert.throws(() => amiTypeFor(["m9z.large"]), /no architecture for m9z\.large/);
  });
});

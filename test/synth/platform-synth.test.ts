import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parse } from "yaml";
import { AUTOSCALER_ARGS } from "../../constructs/autoscaler/cluster-autoscaler-release";
import { loadEnvironments, validateEnvironments } from "../../environments";
import { airflowValuesFor } from "../../configuration/derived/airflow-values";
import { findSecrets } from "../../lib/secret-scan";
import { shippedWith } from "../support/environments";
import { taskQuotaFor } from "../../configuration/derived/task-pools";
import { resourcesOfType, synthesize, type StackJson } from "../support/synth";

const environments = loadEnvironments(undefined);
const synthesized = synthesize(environments);
const platformOf = (env: string): StackJson => synthesized.stackJson(`${env}-platform`);

function release(stack: StackJson, chart: string): Record<string, unknown> {
  const found = resourcesOfType(stack, "helm_release").find(([, r]) => r.chart === chart);
  assert.ok(found, `a helm_release of ${chart}`);
  return found[1];
}

function valuesOf(helmRelease: Record<string, unknown>): Record<string, Record<string, unknown>> {
  const [text] = helmRelease.values as string[];
  return parse(text) as Record<string, Record<string, unknown>>;
}

/** A reference to an output of the environment's infrastructure stack, through remote state. */
function fromInfrastructure(env: string): RegExp {
  return new RegExp(`data\\.terraform_remote_state\\.cross-stack-reference-input-${env}--${env}-infrastructure\\.outputs\\.`);
}

describe("platform stack synthesis", () => {
  for (const env of environments) {
    describe(env.name, () => {
      const stack = platformOf(env.name);

      it("pins the Airflow and Cluster Autoscaler charts to their official repositories", () => {
        const airflow = release(stack, "airflow");
        assert.equal(airflow.repository, "https://airflow.apache.org");
        assert.equal(airflow.version, "1.19.0");
        const autoscaler = release(stack, "cluster-autoscaler");
        assert.equal(autoscaler.repository, "https://kubernetes.github.io/autoscaler");
        assert.equal(autoscaler.version, "9.59.0");
      });

      it("hands the release exactly the values built and validated for the environment", () => {
        assert.deepEqual(valuesOf(release(stack, "airflow")), airflowValuesFor(env));
      });

      it("configures the autoscaler from the infrastructure stack's role and cluster", () => {
        const values = valuesOf(release(stack, "cluster-autoscaler"));
        const serviceAccount = (values.rbac.serviceAccount ?? {}) as Record<string, Record<string, string>>;
        assert.match(serviceAccount.annotations["eks.amazonaws.com/role-arn"], fromInfrastructure(env.name));
        assert.match(String(values.autoDiscovery.clusterName), fromInfrastructure(env.name));
        assert.deepEqual(values.extraArgs, { ...AUTOSCALER_ARGS });
        assert.equal((values.image as Record<string, string>).tag, "v1.35.0");
        assert.deepEqual(values.nodeSelector, { "airflow-platform/pool": "system" });
      });

      it("installs the AWS Load Balancer Controller from its pinned chart, with the infrastructure stack's IRSA role and VPC, before Airflow's Ingress", () => {
        const controller = release(stack, "aws-load-balancer-controller");
        assert.equal(controller.repository, "https://aws.github.io/eks-charts");
        assert.equal(controller.version, "3.5.0");
        assert.equal(controller.namespace, "kube-system");
        const values = valuesOf(controller);
        const serviceAccount = values.serviceAccount as Record<string, Record<string, string>>;
        assert.equal(serviceAccount.name, "aws-load-balancer-controller");
        assert.match(serviceAccount.annotations["eks.amazonaws.com/role-arn"], fromInfrastructure(env.name));
        assert.match(serviceAccount.annotations["eks.amazonaws.com/role-arn"], /aws_iam_roleload-balancer-controller-role_irsa_role_\w+arn/);
        assert.match(String(values.vpcId), fromInfrastructure(env.name));
        assert.match(String(values.clusterName), fromInfrastructure(env.name));
        const [controllerId] = resourcesOfType(stack, "helm_release").find(([, r]) => r.chart === "aws-load-balancer-controller") ?? [];
        assert.ok((release(stack, "airflow").depends_on as string[]).includes(`helm_release.${controllerId}`));
      });

      it("keys the autoscaler's Datadog check by the container the chart names <cloudProvider>-cluster-autoscaler", () => {
        const values = valuesOf(release(stack, "cluster-autoscaler"));
        assert.equal(values.nameOverride, undefined, "nameOverride would rename the container");
        const checks = Object.keys(values.podAnnotations).filter((key) => key.endsWith(".checks"));
        assert.deepEqual(checks, [`ad.datadoghq.com/${String(values.cloudProvider)}-cluster-autoscaler.checks`]);
        const check = JSON.parse(String(values.podAnnotations[checks[0]])) as Record<string, unknown>;
        assert.deepEqual(Object.keys(check), ["kubernetes_cluster_autoscaler"]);
      });

      it("authenticates to the cluster with short-lived exec tokens, never a stored credential", () => {
        const [kubernetes] = stack.provider.kubernetes;
        assert.equal(kubernetes.token, undefined);
        const [exec] = kubernetes.exec as Record<string, unknown>[];
        assert.equal(exec.command, "aws");
        assert.deepEqual((exec.args as string[]).slice(0, 2), ["eks", "get-token"]);
        assert.match(String(kubernetes.host), fromInfrastructure(env.name));
      });

      it("binds the log claim to the infrastructure stack's EFS access point, read-write-many", () => {
        const [[, volume]] = resourcesOfType(stack, "kubernetes_persistent_volume_v1");
        const spec = (volume.spec as Record<string, unknown>[])[0];
        assert.deepEqual(spec.access_modes, ["ReadWriteMany"]);
        const csi = (spec.persistent_volume_source as { csi: Record<string, string> }).csi;
        assert.equal(csi.driver, "efs.csi.aws.com");
        assert.match(csi.volume_handle, /efs_file_system.*::.*efs_access_point/);
        const [[, claim]] = resourcesOfType(stack, "kubernetes_persistent_volume_claim_v1");
        assert.equal((claim.metadata as Record<string, string>).name, "airflow-logs");
      });

      it("writes no secret literal: every Secret's data is computed at apply time", () => {
        for (const [id, secret] of resourcesOfType(stack, "kubernetes_secret_v1")) {
          // PgBouncer's HBA rules hold no secret; they sit in its config Secret so that one kubelet
          // swap changes them together with the logins they name.
          for (const [key, value] of Object.entries(secret.data as Record<string, string>).filter(([k]) => k !== "pgbouncer_hba.conf")) {
            assert.match(value, /\$\{/, `${id}.${key} is computed, not a literal`);
          }
        }
        assert.doesNotMatch(JSON.stringify(stack), /"(password|token|api_key|secret_key)"\s*:\s*"[^$]/);
      });

      it("lets the scheduler launch pods in the task namespace and the API server read their logs, nothing more, within a quota", () => {
        const roles = resourcesOfType(stack, "kubernetes_role_v1").map(([, role]) => [(role.metadata as { name: string }).name, (role.rule as { resources: string[] }[]).flatMap((r) => r.resources).sort()]);
        assert.deepEqual(roles.sort(), [["airflow-pod-launcher", ["pods"]], ["airflow-pod-log-reader", ["pods", "pods/log"]]]);
        const subjects = resourcesOfType(stack, "kubernetes_role_binding_v1").flatMap(([, binding]) => (binding.subject as { name: string }[]).map((s) => s.name));
        assert.deepEqual(subjects.sort(), ["airflow-api-server", "airflow-scheduler"]);
        const [[, quota]] = resourcesOfType(stack, "kubernetes_resource_quota_v1");
        const hard = (quota.spec as { hard: Record<string, string> }).hard;
        const expected = taskQuotaFor(env);
        assert.deepEqual(hard, {
          "requests.cpu": `${expected.cpuMillicores}m`,
          "requests.memory": `${expected.memoryMiB}Mi`,
          "limits.cpu": `${expected.limitsCpuMillicores}m`,
          "limits.memory": `${expected.limitsMemoryMiB}Mi`,
          pods: String(expected.pods),
        });
      });
    });
  }
});

describe("platform stack synthesis with a UI hostname, certificate and single sign-on", () => {
  const [configured] = validateEnvironments([
    shippedWith("staging", {
      airflow: {
        ui: { hostname: "airflow.staging.example.com", certificateArn: "arn:aws:acm:eu-west-1:222222222222:certificate/11111111-2222-3333-4444-555555555555" },
        auth: {
          sso: {
            provider: "oidc",
            issuerUrl: "https://example.okta.com/oauth2/default",
            clientId: "0oa1staging",
            clientSecret: { secretsManagerArn: "arn:aws:secretsmanager:eu-west-1:222222222222:secret:airflow-staging/sso-AbCdEf", jsonKey: "clientSecret" },
            roleMapping: { "airflow-admins": ["Admin"], "data-engineers": ["Op"], analysts: ["Viewer"] },
          },
        },
      },
    }),
  ]);
  const stack = synthesize([configured]).stackJson("staging-platform");
  const values = valuesOf(release(stack, "airflow"));

  it("puts the API server behind an internal ALB with TLS for the configured hostname, and Airflow's base URL on it", () => {
    const ingress = (values.ingress as Record<string, Record<string, unknown>>).apiServer;
    const annotations = ingress.annotations as Record<string, string>;
    assert.equal(annotations["alb.ingress.kubernetes.io/scheme"], "internal");
    assert.equal(annotations["alb.ingress.kubernetes.io/certificate-arn"], "arn:aws:acm:eu-west-1:222222222222:certificate/11111111-2222-3333-4444-555555555555");
    assert.equal(annotations["alb.ingress.kubernetes.io/inbound-cidrs"], configured.network.vpcCidr, "internal: the VPC unless told otherwise");
    assert.deepEqual(ingress.hosts, [{ name: "airflow.staging.example.com" }]);
    assert.equal((values.config.api as Record<string, string>).base_url, "https://airflow.staging.example.com");
  });

  it("configures FAB's OIDC login with the role mapping, and no secret literal anywhere in the stack", () => {
    const config = String(values.apiServer.apiServerConfig);
    assert.match(config, /AUTH_TYPE = AUTH_OAUTH/);
    assert.match(config, /AUTH_ROLES_MAPPING = \{"airflow-admins": \["Admin"\], "data-engineers": \["Op"\], "analysts": \["Viewer"\]\}/);
    assert.match(config, /"client_id": "0oa1staging"/);
    assert.doesNotMatch(config, /client_secret"?: ?"/, "the secret is read from the mounted file");
    assert.deepEqual(findSecrets(values), []);
    const [, copied] = resourcesOfType(stack, "kubernetes_secret_v1").find(([, s]) => (s.metadata as Record<string, string>).name === "airflow-sso-client-secret") ?? [];
    assert.match(String((copied?.data as Record<string, string>)["client-secret"]), /^\$\{jsondecode\(data\.aws_secretsmanager_secret_version\.sso-client-secret_source_\w+\.secret_string\)\.clientSecret\}$/);
    assert.doesNotMatch(JSON.stringify(stack), /"(password|token|api_key|secret_key|client_secret)"\s*:\s*"[^$]/);
  });

  it("generates the break-glass admin's password into Secrets Manager and the Secret its user job reads", () => {
    const [, stored] = resourcesOfType(stack, "aws_secretsmanager_secret").find(([, s]) => s.name === "airflow-staging/airflow-break-glass-admin") ?? [];
    assert.ok(stored, "a Secrets Manager secret for the break-glass admin");
    const [, secret] = resourcesOfType(stack, "kubernetes_secret_v1").find(([, s]) => (s.metadata as Record<string, string>).name === "airflow-break-glass-admin") ?? [];
    assert.match(String((secret?.data as Record<string, string>).password), /^\$\{random_password\.break-glass-admin_password_\w+\.result\}$/);
    const [, version] = resourcesOfType(stack, "aws_secretsmanager_secret_version").find(([, v]) => String(v.secret_string).includes("break-glass-admin_password")) ?? [];
    assert.ok(version, "the same generated password kept in Secrets Manager");
    assert.equal((values.createUserJob as Record<string, unknown>).enabled, true);
  });
});

describe("platform stack synthesis with the DAG repository's deploy key in Secrets Manager", () => {
  const keyArn = "arn:aws:secretsmanager:eu-west-1:111111111111:secret:airflow-dev/dags-deploy-key-AbCdEf";
  const [withKey] = validateEnvironments([shippedWith("dev", { airflow: { gitSync: { sshKeyFromSecretsManager: { secretArn: keyArn } } } })]);
  const stack = synthesize([withKey]).stackJson("dev-platform");
  const deployKey = (json: StackJson) => resourcesOfType(json, "kubernetes_secret_v1").find(([, s]) => (s.metadata as Record<string, string>).name === "airflow-git-ssh-key");

  it("writes the key into the Secret gitSync and task pods mount, from the secret read at apply time, before the release", () => {
    const found = deployKey(stack);
    assert.ok(found, "the deploy-key Secret");
    const [id, secret] = found;
    assert.equal((secret.metadata as Record<string, string>).namespace, "${kubernetes_namespace_v1.airflow-namespace.metadata[0].name}");
    assert.match(String((secret.data as Record<string, string>).gitSshKey), /^\$\{data\.aws_secretsmanager_secret_version\.git-ssh-key_source_\w+\.secret_string\}$/);
    const [, source] = Object.entries(stack.data?.aws_secretsmanager_secret_version ?? {}).find(([name]) => name.startsWith("git-ssh-key_source")) ?? [];
    assert.equal(source?.secret_id, keyArn);
    assert.ok((release(stack, "airflow").depends_on as string[]).includes(`kubernetes_secret_v1.${id}`), "the release waits for the key");
  });

  it("copies the same read into the task namespace, where task pods clone the DAGs: the key is read from Secrets Manager once", () => {
    const copies = resourcesOfType(stack, "kubernetes_secret_v1").filter(([, s]) => (s.metadata as Record<string, string>).name === "airflow-git-ssh-key");
    const namespaces = copies.map(([, s]) => (s.metadata as Record<string, string>).namespace);
    assert.equal(namespaces.length, 2, `Airflow's namespace and the task namespace: ${namespaces.join(", ")}`);
    assert.ok(namespaces.some((n) => n.startsWith("${kubernetes_namespace_v1.airflow-namespace.")) && namespaces.some((n) => n.startsWith("${kubernetes_namespace_v1.task-namespace_")), namespaces.join(", "));
    const reads = Object.values(stack.data?.aws_secretsmanager_secret_version ?? {}).filter((read) => read.secret_id === keyArn);
    assert.equal(reads.length, 1, "one read of the deploy key");
    const values = new Set(copies.map(([, s]) => String((s.data as Record<string, string>).gitSshKey)));
    assert.equal(values.size, 1, `both copies hold the one read: ${[...values].join(", ")}`);
  });

  it("leaves the Secret to be created by hand when the environment names no Secrets Manager secret", () => {
    assert.equal(deployKey(synthesized.stackJson("dev-platform")), undefined);
  });
});

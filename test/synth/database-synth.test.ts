import assert from "node:assert/strict";
import { X509Certificate } from "node:crypto";
import { describe, it } from "node:test";
import { activeLoginRole } from "../../constructs/database/airflow-roles";
import { AWS_CLI_IMAGE, POSTGRES_CLIENT_IMAGE } from "../../constructs/database/bootstrap-images";
import { loadEnvironments, validateEnvironments } from "../../environments";
import { shippedWith } from "../support/environments";
import { resourcesOfType, synthesize, type StackJson } from "../support/synth";

// The platform stack's half of Airflow's database access: the logins, the bootstrap Job and
// PgBouncer's Secrets, as Terraform will see them. test/database/ runs the same scripts and
// configuration against real PostgreSQL and PgBouncer.

const shipped = loadEnvironments(undefined);
// prod once more, one rotation of Airflow's password later.
const rotated = validateEnvironments([shippedWith("prod", { name: "prodnext", example: "prodnext", database: { airflowPasswordGeneration: 1 } })]);
const synthesized = synthesize([...shipped, ...rotated]);
const platformOf = (env: string): StackJson => synthesized.stackJson(`${env}-platform`);

function secretData(stack: StackJson, name: string): Record<string, string> {
  const found = resourcesOfType(stack, "kubernetes_secret_v1").find(([, s]) => (s.metadata as Record<string, string>).name === name);
  assert.ok(found, `Secret ${name}`);
  return found[1].data as Record<string, string>;
}

function job(stack: StackJson): { id: string; resource: Record<string, unknown>; pod: Record<string, unknown> } {
  const [[id, resource]] = resourcesOfType(stack, "kubernetes_job_v1");
  const spec = resource.spec as { template: { spec: Record<string, unknown> } };
  return { id, resource, pod: spec.template.spec };
}

const password = (role: string) => new RegExp(`random_password\\.database-logins_${role}-password_[0-9A-F]+\\.result`);

describe("Airflow's database access in the platform stack", () => {
  for (const env of shipped) {
    describe(env.name, () => {
      const stack = platformOf(env.name);

      it("never reads the master secret: the master password cannot reach this stack's state", () => {
        // Besides remote state, the stack reads one ConfigMap: the chart's airflow-config, copied to the task namespace (no secret in it),
        // and on S3 the names of its own state objects (whether its state exists yet: constructs/database/deployed-generation.ts).
        const read = Object.keys((stack as unknown as { data?: Record<string, unknown> }).data ?? {});
        assert.deepEqual(read.filter((type) => type !== "kubernetes_config_map_v1" && type !== "aws_s3_objects"), ["terraform_remote_state"]);
        assert.doesNotMatch(JSON.stringify(stack.resource), /aws_secretsmanager_secret_version\.[^"]*master|jsondecode/);
      });

      it("gives Airflow, monitoring and PgBouncer a login each, PgBouncer's being the active database role", () => {
        const config = secretData(stack, "airflow-pgbouncer-config");
        assert.match(secretData(stack, "airflow-metadata-connection").connection, password("pgbouncer-client"));
        assert.match(secretData(stack, "airflow-pgbouncer-stats-connection").connection, password("pgbouncer-stats"));
        assert.match(config["users.txt"], password("pgbouncer-client"));
        assert.match(config["users.txt"], password("pgbouncer-stats"));
        assert.match(config["users.txt"], password("airflow_blue"));
        assert.doesNotMatch(config["users.txt"], password("airflow_green"), "PgBouncer holds the active login's password only");
        assert.match(config["pgbouncer.ini"], / user=airflow_blue pool_size=/);
      });

      it("gives the bootstrap only the active login's password, verifies TLS to RDS against the region's CAs, and admits PgBouncer clients from the pod network only", () => {
        const active = activeLoginRole(env.database.airflowPasswordGeneration);
        const logins = secretData(stack, "airflow-db-bootstrap-logins");
        assert.deepEqual(Object.keys(logins), ["password"]);
        assert.match(logins.password, password(active));
        const [main] = job(stack).pod.container as { env: { name: string; value: string }[] }[];
        const jobEnv = Object.fromEntries(main.env.map((e) => [e.name, e.value]));
        assert.equal(jobEnv.ACTIVE_LOGIN, active);
        assert.equal(jobEnv.PGSSLROOTCERT, "/etc/rds-ca/global-bundle.pem");
        const [, caMap] = resourcesOfType(stack, "kubernetes_config_map_v1").find(([, c]) => (c.metadata as Record<string, string>).name === "airflow-rds-ca") ?? [];
        const pems = String((caMap?.data as Record<string, string> | undefined)?.["global-bundle.pem"]).match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
        assert.ok(pems.length >= 1);
        for (const pem of pems) assert.match(new X509Certificate(pem).subject, new RegExp(`CN=Amazon RDS ${env.account.region} Root CA`));
        const config = secretData(stack, "airflow-pgbouncer-config");
        assert.match(config["pgbouncer.ini"], /^server_tls_sslmode = verify-full$/m);
        const clients = config["pgbouncer_hba.conf"].split("\n").filter((line) => line.startsWith("host airflow-metadata ")).map((line) => line.split(/\s+/)[3]);
        assert.deepEqual(clients, env.network.vpcCidr ? [env.network.vpcCidr] : ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"]);
        assert.doesNotMatch(config["pgbouncer_hba.conf"], /0\.0\.0\.0\/0|::\/0/);
      });

      it("keeps every one of those passwords in Secrets Manager under the Airflow secrets key", () => {
        const secret = resourcesOfType(stack, "aws_secretsmanager_secret").find(([, s]) => s.name === `${env.resourcePrefix}/airflow-database-logins`);
        assert.ok(secret);
        assert.match(String(secret[1].kms_key_id), /outputs\.cross-stack-output-aws_kms_keykeys_airflow-secrets/);
        const [, version] = resourcesOfType(stack, "aws_secretsmanager_secret_version").find(([id]) => id.startsWith("database-logins")) ?? [];
        for (const role of ["airflow_blue", "airflow_green", "pgbouncer-client", "pgbouncer-stats"]) assert.match(String(version?.secret_string), password(role));
      });

      it("runs the bootstrap before PgBouncer's config changes and before the Airflow release", () => {
        const { id } = job(stack);
        const byName = Object.fromEntries(resourcesOfType(stack, "kubernetes_secret_v1").map(([logical, s]) => [(s.metadata as Record<string, string>).name, { logical, s }]));
        assert.deepEqual(byName["airflow-pgbouncer-config"].s.depends_on, [`kubernetes_job_v1.${id}`]);
        const [, airflow] = resourcesOfType(stack, "helm_release").find(([, r]) => r.chart === "airflow") ?? [];
        const waitsFor = airflow?.depends_on as string[];
        assert.ok(waitsFor.includes(`kubernetes_job_v1.${id}`));
        assert.ok(waitsFor.includes(`kubernetes_secret_v1.${byName["airflow-pgbouncer-config"].logical}`));
        assert.equal(job(stack).resource.wait_for_completion, true);
      });

      it("names the Job after everything it runs with, the logins' secret version among it", () => {
        const name = String((job(stack).resource.metadata as Record<string, string>).name);
        assert.match(name, /^airflow-db-bootstrap-\$\{substr\(sha256\(join\("\|", \["[0-9a-f]{64}", /);
        assert.match(name, /aws_secretsmanager_secret_version\.database-logins_stored-version_[0-9A-F]+\.version_id/);
        assert.match(name, /master_user_secret0secret_arn/);
        assert.match(name, /, 0, 10\)\}$/);
      });

      it("reads the master secret in a pinned AWS CLI image into memory, and runs psql from a digest-pinned image, unprivileged", () => {
        const { pod } = job(stack);
        const [init] = pod.init_container as Record<string, unknown>[];
        const [main] = pod.container as Record<string, unknown>[];
        assert.equal(init.image, AWS_CLI_IMAGE);
        assert.equal(main.image, POSTGRES_CLIENT_IMAGE);
        assert.match(POSTGRES_CLIENT_IMAGE, /@sha256:[0-9a-f]{64}$/);
        const volumes = pod.volume as { name: string; empty_dir?: Record<string, string> }[];
        assert.deepEqual(volumes.find((v) => v.name === "master-credentials")?.empty_dir, { medium: "Memory", size_limit: "1Mi" });
        assert.equal((pod.security_context as Record<string, unknown>).run_as_non_root, true);
        for (const container of [init, main]) assert.equal((container.security_context as Record<string, unknown>).allow_privilege_escalation, false);
        assert.deepEqual(pod.node_selector, { "airflow-platform/pool": "system" });
        const [, serviceAccount] = resourcesOfType(stack, "kubernetes_service_account_v1").find(([id]) => id.startsWith("database-bootstrap")) ?? [];
        const metadata = serviceAccount?.metadata as { name: string; annotations: Record<string, string> };
        assert.match(String(pod.service_account_name), /^\$\{kubernetes_service_account_v1\.database-bootstrap_service-account_[0-9A-F]+\.metadata\[0\]\.name\}$/);
        assert.equal(metadata.name, "airflow-db-bootstrap");
        assert.match(metadata.annotations["eks.amazonaws.com/role-arn"], /outputs\.cross-stack-output-aws_iam_roledatabase-bootstrap-role/);
      });
    });
  }

  it("on a rotation, renews only the login PgBouncer moves to, and moves PgBouncer to it", () => {
    const keepers = (stack: StackJson) =>
      Object.fromEntries(
        resourcesOfType(stack, "random_password").flatMap(([id, p]) => {
          const role = /^database-logins_(airflow_(?:blue|green))-password_/.exec(id)?.[1];
          return role ? [[role, p.keepers]] : [];
        }),
      );
    assert.deepEqual(keepers(platformOf("prod")), { airflow_blue: { generation: "0" }, airflow_green: { generation: "-1" } });
    assert.deepEqual(keepers(platformOf("prodnext")), { airflow_blue: { generation: "0" }, airflow_green: { generation: "1" } });
    const config = secretData(platformOf("prodnext"), "airflow-pgbouncer-config");
    assert.match(config["pgbouncer.ini"], / user=airflow_green pool_size=/);
    assert.match(config["users.txt"], password("airflow_green"));
    assert.doesNotMatch(config["users.txt"], password("airflow_blue"));
  });
});

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loadEnvironments } from "../../environments";
import { resourcesOfType, synthesize } from "../support/synth";
import { planAgainstState, type PriorResource } from "../support/terraform";

// A change that would replace the metadata database or the log file system (a new identifier, a
// new creation token, a new key) must not go through in staging or prod. Real Terraform decides:
// the prior state is written by hand with an older identity, and the plan runs with
// -refresh=false, so nothing is read from AWS.

const environments = loadEnvironments("dev,prod");
const synthesized = synthesize(environments);

function existing(env: string, type: string, attributes: Record<string, unknown>): PriorResource {
  const [[name]] = resourcesOfType(synthesized.stackJson(`${env}-infrastructure`), type);
  return { type, name, attributes };
}

function oldDatabase(env: string): PriorResource {
  return existing(env, "aws_db_instance", {
    id: "db-OLDIDENTITY",
    identifier: `airflow-${env}-metadata-old`,
    engine: "postgres",
    engine_version: "17.9",
    instance_class: "db.t4g.medium",
    allocated_storage: 20,
    storage_encrypted: true,
    kms_key_id: `arn:aws:kms:eu-west-1:111111111111:key/00000000-0000-0000-0000-000000000000`,
    username: "airflow_admin",
    db_name: "airflow",
    port: 5432,
  });
}

describe("stateful resources cannot be replaced outside dev", () => {
  it("refuses, in prod, a plan that would replace the metadata database", () => {
    const result = planAgainstState(synthesized.stackDir("prod-infrastructure"), [oldDatabase("prod")]);
    assert.equal(result.ok, false);
    assert.match(result.output, /Instance cannot be destroyed/);
    assert.match(result.output, /aws_db_instance\.metadata-database_instance/);
  });

  it("refuses, in prod, a plan that would replace the task-log file system", () => {
    const fileSystem = existing("prod", "aws_efs_file_system", {
      id: "fs-0123456789abcdef0",
      creation_token: "airflow-prod-task-logs-old",
      encrypted: true,
      kms_key_id: "arn:aws:kms:eu-west-1:333333333333:key/00000000-0000-0000-0000-000000000000",
      performance_mode: "generalPurpose",
      throughput_mode: "elastic",
    });
    const result = planAgainstState(synthesized.stackDir("prod-infrastructure"), [fileSystem]);
    assert.equal(result.ok, false);
    assert.match(result.output, /Instance cannot be destroyed/);
    assert.match(result.output, /aws_efs_file_system\.log-storage_file-system/);
  });

  it("lets dev replace its throwaway database, proving the guard is what stops prod", () => {
    const result = planAgainstState(synthesized.stackDir("dev-infrastructure"), [oldDatabase("dev")]);
    assert.equal(result.ok, true, result.output);
    const change = result.plan?.resource_changes.find((c) => c.type === "aws_db_instance");
    assert.deepEqual(change?.change.actions, ["delete", "create"]);
  });
});

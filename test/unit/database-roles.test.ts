import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { activeLoginRole, AIRFLOW_LOGIN_ROLES, loginPasswordGenerations } from "../../constructs/database/airflow-roles";
import { databaseBootstrapPolicy, databaseBootstrapServiceAccount } from "../../constructs/database/bootstrap-role";
import { bootstrapSql } from "../../constructs/database/bootstrap-sql";

// The pure rules behind Airflow's database logins; test/database/ runs them for real.

describe("Airflow's login roles across rotations", () => {
  it("alternates the active login with each generation", () => {
    assert.deepEqual([0, 1, 2, 3].map(activeLoginRole), ["airflow_blue", "airflow_green", "airflow_blue", "airflow_green"]);
  });

  it("renews only the login that becomes active, so the one PgBouncer still uses keeps working", () => {
    for (let generation = 0; generation < 6; generation++) {
      const before = loginPasswordGenerations(generation);
      const after = loginPasswordGenerations(generation + 1);
      const renewed = AIRFLOW_LOGIN_ROLES.filter((role) => before[role] !== after[role]);
      assert.deepEqual(renewed, [activeLoginRole(generation + 1)], `generation ${generation} → ${generation + 1}`);
      assert.equal(after[activeLoginRole(generation + 1)], generation + 1);
    }
  });
});

describe("the bootstrap's grants and SQL", () => {
  it("lets its role read the one master secret, and decrypt only through Secrets Manager", () => {
    const policy = databaseBootstrapPolicy({ masterSecretArn: "arn:aws:secretsmanager:eu-west-1:1:secret:rds!db-x", kmsKeyArn: "arn:aws:kms:eu-west-1:1:key/k", region: "eu-west-1" });
    assert.deepEqual(
      policy.Statement.map((s) => [s.Action, s.Resource, s.Condition]),
      [
        ["secretsmanager:GetSecretValue", "arn:aws:secretsmanager:eu-west-1:1:secret:rds!db-x", undefined],
        ["kms:Decrypt", "arn:aws:kms:eu-west-1:1:key/k", { StringEquals: { "kms:ViaService": "secretsmanager.eu-west-1.amazonaws.com" } }],
      ],
    );
    assert.deepEqual(databaseBootstrapServiceAccount("airflow"), { namespace: "airflow", name: "airflow-db-bootstrap" });
  });

  it("writes role and database names into SQL only when they are plain identifiers", () => {
    assert.match(bootstrapSql({ databaseName: "airflow", generation: 0, environment: "test" }), /^ALTER DATABASE airflow OWNER TO airflow_owner;$/m);
    assert.throws(() => bootstrapSql({ databaseName: 'airflow"; DROP ROLE x; --', generation: 0, environment: "test" }), /not a plain SQL identifier/);
  });
});

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { metadataConnectionUri, pgbouncerIni, pgbouncerUsers, PGBOUNCER_CLIENT_USER } from "../../constructs/airflow/pgbouncer-config";
import { validateEnvironment } from "../../environments";
import { DATABASE_CONNECTION_RESERVE, pgbouncerServerConnections } from "../../environments/airflow-rules";
import { shippedWith } from "../support/environments";

describe("PgBouncer configuration", () => {
  const ini = pgbouncerIni({
    releaseName: "airflow",
    databaseHost: "db.example.internal",
    databasePort: 5432,
    databaseName: "airflow",
    metadataPoolSize: 40,
    resultBackendPoolSize: 10,
    maxClientConnections: 1000,
    serverUser: "airflow_admin",
  });

  it("pools both database aliases against RDS with the configured sizes, as the server user", () => {
    assert.match(ini, /^airflow-metadata = host=db\.example\.internal dbname=airflow port=5432 user=airflow_admin pool_size=40$/m);
    assert.match(ini, /^airflow-result-backend = host=db\.example\.internal dbname=airflow port=5432 user=airflow_admin pool_size=10$/m);
    assert.match(ini, /^max_client_conn = 1000$/m);
  });

  it("never writes a password into the ini: the server login's comes from the auth file", () => {
    assert.doesNotMatch(ini, /password/i);
    assert.match(ini, /^auth_file = \/etc\/pgbouncer\/users\.txt$/m);
  });

  it("lets the client login, not the database's master user, read SHOW STATS", () => {
    assert.notEqual(PGBOUNCER_CLIENT_USER, "airflow_admin");
    assert.match(ini, new RegExp(`^stats_users = ${PGBOUNCER_CLIENT_USER}$`, "m"));
  });

  it("speaks SCRAM to clients and TLS to RDS, which forces SSL", () => {
    assert.match(ini, /^auth_type = scram-sha-256$/m);
    assert.match(ini, /^server_tls_sslmode = require$/m);
    assert.match(ini, /^pool_mode = transaction$/m);
  });

  it("writes one quoted line per login and doubles embedded quotes", () => {
    assert.equal(
      pgbouncerUsers([
        { user: "airflow", password: "client" },
        { user: "airflow_admin", password: 'pa"ss' },
      ]),
      '"airflow" "client"\n"airflow_admin" "pa""ss"\n',
    );
  });

  it("points Airflow at PgBouncer's service, not at the database", () => {
    assert.equal(
      metadataConnectionUri({ user: "u", encodedPassword: "p%40", releaseName: "airflow", namespace: "airflow" }),
      "postgresql://u:p%40@airflow-pgbouncer.airflow:6543/airflow-metadata?sslmode=disable",
    );
  });
});

describe("PgBouncer pools against the database's max_connections", () => {
  it("counts every replica's pools", () => {
    assert.equal(pgbouncerServerConnections({ replicas: 2, metadataPoolSize: 40, resultBackendPoolSize: 10, maxClientConnections: 1000 }), 100);
  });

  it("rejects pools that do not fit, naming both numbers", () => {
    const result = validateEnvironment(shippedWith("dev", { airflow: { pgbouncer: { replicas: 3, metadataPoolSize: 95 } } }));
    assert.equal(result.ok, false);
    const problem = result.ok ? undefined : result.problems.find((p) => p.field === "airflow.pgbouncer.metadataPoolSize");
    assert.ok(problem);
    assert.equal(problem.constructPath, "dev/dev-platform/metadata-connection");
    assert.match(problem.allowed, new RegExp(`= 300\\) plus a reserve of ${DATABASE_CONNECTION_RESERVE} must fit in database\\.maxConnections \\(300\\)`));
  });

  it("accepts pools that fit exactly", () => {
    // dev: max_connections 300; 2 × (135 + 5) + 20 = 300.
    const result = validateEnvironment(shippedWith("dev", { airflow: { pgbouncer: { replicas: 2, metadataPoolSize: 135 } } }));
    assert.equal(result.ok, true, JSON.stringify(result));
  });
});

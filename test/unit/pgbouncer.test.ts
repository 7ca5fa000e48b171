import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  metadataConnectionUri,
  pgbouncerConfigFiles,
  pgbouncerHba,
  pgbouncerIni,
  pgbouncerUsers,
  PGBOUNCER_CLIENT_USER,
  PGBOUNCER_CONFIG_DIR,
  PGBOUNCER_STATS_USER,
  statsConnectionUri,
} from "../../constructs/airflow/pgbouncer-config";
import { pgbouncerSupervisorScript, pgbouncerSupervisorValues } from "../../constructs/airflow/pgbouncer-supervisor";
import { AIRFLOW_RELEASE_NAME } from "../../constructs/airflow/chart-versions";
import { metadataSecretNames } from "../../constructs/airflow/metadata-connection";
import { loadEnvironments, validateEnvironment } from "../../environments";
import { airflowValuesFor } from "../../configuration/derived/airflow-values";
import { DATABASE_CONNECTION_RESERVE, pgbouncerServerConnections } from "../../configuration/rules/airflow-rules";
import { shippedWith } from "../support/environments";

// The text PgBouncer is fed; test/database/ runs it in a real PgBouncer.

describe("PgBouncer configuration", () => {
  const ini = pgbouncerIni({
    releaseName: "airflow",
    databaseHost: "db.example.internal",
    databasePort: 5432,
    databaseName: "airflow",
    metadataPoolSize: 40,
    maxClientConnections: 1000,
    serverLogin: "airflow_green",
  });

  it("pools one database alias against RDS, as the given login, and no result backend", () => {
    assert.match(ini, /^airflow-metadata = host=db\.example\.internal dbname=airflow port=5432 user=airflow_green pool_size=40$/m);
    assert.equal(ini.split("[pgbouncer]")[0].trim().split("\n").length, 2, "[databases] holds exactly one entry");
    assert.doesNotMatch(ini, /result-backend/);
    assert.match(ini, /^max_client_conn = 1000$/m);
  });

  it("never writes a password into the ini, and reads its auth and HBA files from the mounted directory", () => {
    assert.doesNotMatch(ini, /password/i);
    assert.match(ini, new RegExp(`^auth_file = ${PGBOUNCER_CONFIG_DIR}/users\\.txt$`, "m"));
    assert.match(ini, new RegExp(`^auth_hba_file = ${PGBOUNCER_CONFIG_DIR}/pgbouncer_hba\\.conf$`, "m"));
    assert.match(ini, /^auth_type = hba$/m);
  });

  it("gives SHOW to the stats login only, and TLS to RDS", () => {
    assert.notEqual(PGBOUNCER_STATS_USER, PGBOUNCER_CLIENT_USER);
    assert.match(ini, new RegExp(`^stats_users = ${PGBOUNCER_STATS_USER}$`, "m"));
    assert.doesNotMatch(ini, /^admin_users/m);
    assert.match(ini, /^server_tls_sslmode = verify-full$/m);
    assert.match(ini, /^server_tls_ca_file = \/etc\/rds-ca\/global-bundle\.pem$/m);
    assert.match(ini, /^pool_mode = transaction$/m);
  });

  it("lets the client login into the metadata pool and the stats login onto the console, nobody else anywhere", () => {
    const rules = pgbouncerHba("airflow", ["10.30.0.0/16"])
      .split("\n")
      .filter((line) => line && !line.startsWith("#"))
      .map((line) => line.split(/\s+/));
    assert.deepEqual([...new Set(rules.map(([type, database, user, , method]) => [type, database, user, method].join(" ")))], [
      `host airflow-metadata ${PGBOUNCER_CLIENT_USER} scram-sha-256`,
      `host pgbouncer ${PGBOUNCER_STATS_USER} scram-sha-256`,
    ]);
    // Clients from the pod network only; the stats login also from the exporter beside PgBouncer.
    assert.deepEqual(
      rules.map(([, database, , address]) => `${database} ${address}`),
      ["airflow-metadata 10.30.0.0/16", "pgbouncer 127.0.0.1/32", "pgbouncer 10.30.0.0/16"],
    );
    assert.throws(() => pgbouncerHba("airflow", []), /pod network/);
  });

  it("writes one quoted line per login and doubles embedded quotes", () => {
    assert.equal(
      pgbouncerUsers([
        { user: "airflow", password: "client" },
        { user: "airflow_blue", password: 'pa"ss' },
      ]),
      '"airflow" "client"\n"airflow_blue" "pa""ss"\n',
    );
  });

  it("puts the client, stats and server logins in the auth file the ini names", () => {
    const files = pgbouncerConfigFiles({
      releaseName: "airflow",
      databaseHost: "db",
      databasePort: 5432,
      databaseName: "airflow",
      metadataPoolSize: 20,
      maxClientConnections: 100,
      server: { user: "airflow_blue", password: "server" },
      clientPassword: "client",
      statsPassword: "stats",
      podNetworkCidrs: ["10.30.0.0/16"],
    });
    assert.deepEqual(Object.keys(files).sort(), ["pgbouncer.ini", "pgbouncer_hba.conf", "users.txt"]);
    assert.equal(files["users.txt"], `"${PGBOUNCER_CLIENT_USER}" "client"\n"${PGBOUNCER_STATS_USER}" "stats"\n"airflow_blue" "server"\n`);
    assert.match(files["pgbouncer.ini"], / user=airflow_blue /);
  });

  it("points Airflow at PgBouncer's service and the exporter at its own pod's console", () => {
    assert.equal(
      metadataConnectionUri({ encodedPassword: "p%40", releaseName: "airflow", namespace: "airflow" }),
      `postgresql://${PGBOUNCER_CLIENT_USER}:p%40@airflow-pgbouncer.airflow:6543/airflow-metadata?sslmode=disable`,
    );
    assert.equal(statsConnectionUri({ encodedPassword: "s" }), `postgresql://${PGBOUNCER_STATS_USER}:s@127.0.0.1:6543/pgbouncer?sslmode=disable`);
  });
});

describe("PgBouncer's supervisor in the chart's pod", () => {
  it("mounts the config Secret as a directory, not with the chart's subPath, where the ini expects it", () => {
    const values = pgbouncerSupervisorValues("airflow-pgbouncer-config");
    assert.equal(values.mountConfigSecret, false);
    assert.equal(values.configSecretName, "airflow-pgbouncer-config");
    assert.deepEqual(values.extraVolumes, [
      { name: "pgbouncer-live-config", secret: { secretName: "airflow-pgbouncer-config" } },
      { name: "rds-ca", configMap: { name: "airflow-rds-ca" } },
    ]);
    // The RDS CA bundle where the ini's server_tls_ca_file expects it.
    assert.deepEqual(values.extraVolumeMounts, [
      { name: "pgbouncer-live-config", mountPath: PGBOUNCER_CONFIG_DIR, readOnly: true },
      { name: "rds-ca", mountPath: "/etc/rds-ca", readOnly: true },
    ]);
    assert.ok(values.extraVolumeMounts.every((m) => !("subPath" in m)));
  });

  it("survives the chart's tpl and watches all three files", () => {
    const script = pgbouncerSupervisorScript();
    // The chart renders pgbouncer.command through tpl: template braces would be evaluated.
    assert.doesNotMatch(script, /\{\{|\}\}/);
    for (const file of ["pgbouncer.ini", "users.txt", "pgbouncer_hba.conf"]) assert.ok(script.includes(`"$dir/${file}"`), file);
    assert.match(script, new RegExp(`^dir=${PGBOUNCER_CONFIG_DIR}$`, "m"));
    assert.match(script, /kill -HUP "\$pid"/);
  });
});

describe("the chart's PgBouncer values of every shipped environment", () => {
  for (const config of loadEnvironments(undefined)) {
    it(`${config.name}: runs the supervisor on our config Secret mounted live, and checks as the stats login`, () => {
      const pgbouncer = airflowValuesFor(config).pgbouncer as Record<string, unknown>;
      const configSecret = metadataSecretNames(AIRFLOW_RELEASE_NAME).pgbouncerConfig;
      assert.deepEqual({ ...pgbouncerSupervisorValues(configSecret) }, {
        configSecretName: pgbouncer.configSecretName,
        mountConfigSecret: pgbouncer.mountConfigSecret,
        command: pgbouncer.command,
        extraVolumes: pgbouncer.extraVolumes,
        extraVolumeMounts: pgbouncer.extraVolumeMounts,
      });
      const check = JSON.parse((pgbouncer.podAnnotations as Record<string, string>)["ad.datadoghq.com/pgbouncer.checks"]) as { pgbouncer: { instances: { username: string }[] } };
      assert.deepEqual(check.pgbouncer.instances.map((i) => i.username), [PGBOUNCER_STATS_USER]);
      assert.equal(pgbouncer.resultBackendPoolSize, undefined);
    });
  }
});

describe("PgBouncer pools against the database's max_connections", () => {
  it("counts one metadata pool per replica", () => {
    assert.equal(pgbouncerServerConnections({ replicas: 2, metadataPoolSize: 40 }), 80);
  });

  it("rejects pools that do not fit, naming both numbers", () => {
    const result = validateEnvironment(shippedWith("dev", { airflow: { pgbouncer: { replicas: 3, metadataPoolSize: 95 } } }));
    assert.equal(result.ok, false);
    const problem = result.ok ? undefined : result.problems.find((p) => p.field === "airflow.pgbouncer.metadataPoolSize");
    assert.ok(problem);
    assert.equal(problem.constructPath, "dev/dev-platform/metadata-connection");
    assert.match(problem.allowed, new RegExp(`3 replicas × 95 = 285\\) plus a reserve of ${DATABASE_CONNECTION_RESERVE} must fit in database\\.maxConnections \\(300\\)`));
  });

  it("accepts pools that fit exactly", () => {
    // dev: max_connections 300; 2 × 140 + 20 = 300.
    const result = validateEnvironment(shippedWith("dev", { airflow: { pgbouncer: { replicas: 2, metadataPoolSize: 140 } } }));
    assert.equal(result.ok, true, JSON.stringify(result));
  });
});

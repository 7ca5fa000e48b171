import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { runCli } from "../../cli/main";
import { ConfigError } from "../../lib/config-error";
import { validateEnvironment, validateEnvironments } from "../../environments";
import { findSecrets, fingerprint } from "../../lib/secret-scan";
import { shippedWith } from "../support/environments";

// Secrets a user pastes where they do not belong: refused, and never shown back, in the problems,
// the error's message or anything the shipped command prints. Only a fingerprint (length, hash).

const PLANTED = {
  clientSecret: "correct horse battery staple", // low entropy: caught by the field's name
  fernetKey: "xK3vQ9mZ2pL8rT5wY1nB7cF4hJ6sD0gA-eU_iO3kMq4=", // a fernet key's shape: 44 chars, urlsafe base64
  envToken: "hunter2-hunter2-hunter2", // in a chart env variable named like a token
  randomInConfig: "N7pQ2rX9vK4mB8wZ3tY6hC1jF5gD0sLa", // high entropy in an innocuous chart value
} as const;

// A client secret pasted as a string where a reference belongs: a schema problem, so on its own
// environment (a schema problem stops the checks of chart values).
const pasted = shippedWith("dev", {
  name: "sandbox",
  airflow: { auth: { sso: { provider: "oidc", issuerUrl: "https://idp.example.com", clientId: "airflow", clientSecret: PLANTED.clientSecret as never, roleMapping: { admins: ["Admin"] } } } },
});

const planted = shippedWith("dev", {
  airflow: {
    chartValueOverrides: {
      fernetKey: PLANTED.fernetKey,
      env: [{ name: "AIRFLOW__API_AUTH__JWT_TOKEN", value: PLANTED.envToken }],
      config: { core: { dag_discovery_safe_mode: PLANTED.randomInConfig } },
    },
  },
});

function assertNoneEchoed(text: string, where: string): void {
  for (const [name, secret] of Object.entries(PLANTED)) assert.ok(!text.includes(secret), `${where} echoes the planted ${name}`);
}

describe("secrets never echoed", () => {
  it("refuses each planted secret where it sits, showing a fingerprint instead of the value", () => {
    const problems = [pasted, planted].flatMap((input) => {
      const result = validateEnvironment(input);
      assert.equal(result.ok, false);
      return result.ok ? [] : result.problems;
    });
    // validateEnvironment returns raw problems; a ConfigError is what anything prints or throws.
    const error = new ConfigError(problems);
    assertNoneEchoed(JSON.stringify(error.problems), "the problems");
    assertNoneEchoed(error.message, "the message");
    const given = (field: string) => error.problems.filter((p) => p.field === field).map((p) => p.given);
    assert.ok(given("airflow.auth.sso.clientSecret").includes(fingerprint(PLANTED.clientSecret)), JSON.stringify(error.problems));
    assert.ok(given("airflow.chartValueOverrides.fernetKey").includes(fingerprint(PLANTED.fernetKey)));
    assert.deepEqual(given("airflow.chartValueOverrides.env.0.value"), [fingerprint(PLANTED.envToken)]);
    assert.deepEqual(given("airflow.chartValueOverrides.config.core.dag_discovery_safe_mode"), [fingerprint(PLANTED.randomInConfig)]);
  });

  it("refuses a secret literal in a chart env at synth, also where nothing protects the path", () => {
    assert.throws(
      () => validateEnvironments([shippedWith("dev", { airflow: { chartValueOverrides: { triggerer: { env: [{ name: "DB_PASSWORD", value: "plain" }] } } } })]),
      (e: unknown) => e instanceof ConfigError && e.problems.some((p) => p.field === "airflow.chartValueOverrides.triggerer.env.0.value" && /no secret literal in chart values/.test(p.allowed)) && !e.message.includes('"plain"'),
    );
    // A reference to a Secret is no literal. (The triggerer: the scheduler's env is protected, it carries the JWT secret.)
    const reference = validateEnvironment(shippedWith("dev", { airflow: { chartValueOverrides: { triggerer: { env: [{ name: "DB_PASSWORD", valueFrom: { secretKeyRef: { name: "db", key: "password" } } }] } } } }));
    assert.ok(reference.ok, JSON.stringify(reference));
  });

  it("hides a short secret literal in a protected value's error too, where the whole env list is repeated", () => {
    assert.throws(
      () => validateEnvironments([shippedWith("dev", { airflow: { chartValueOverrides: { scheduler: { env: [{ name: "DB_PASSWORD", value: "plain" }] } } } })]),
      (e: unknown) => e instanceof ConfigError && e.problems.some((p) => p.field === "airflow.chartValueOverrides.scheduler.env") && !e.message.includes('"plain"'),
    );
  });

  it("prints none of them from the shipped command, on stdout or stderr", async () => {
    const out: string[] = [];
    const io = { stdout: (s: string) => void out.push(s), stderr: (s: string) => void out.push(s) };
    assert.equal(await runCli(["synth"], { environments: { dev: planted, sandbox: pasted }, io }), 1);
    const printed = out.join("");
    assertNoneEchoed(printed, "synth's output");
    assert.match(printed, /‹secret: \d+ chars, sha256 [0-9a-f]{8}›/);
  });

  it("leaves no piece of a secret in the policy scanner's findings", () => {
    const findings = findSecrets({ values: { token: PLANTED.randomInConfig, note: PLANTED.randomInConfig } });
    assert.ok(findings.length >= 2);
    for (const piece of [PLANTED.randomInConfig.slice(0, 6), PLANTED.randomInConfig]) assert.ok(!JSON.stringify(findings).includes(piece), piece);
  });
});

describe("a variable that names where a secret is", () => {
  it("holds no secret: a directory, a file or a Secret's name is not refused", () => {
    assert.deepEqual(findSecrets({ env: [{ name: "LOGIN_PASSWORDS_DIR", value: "/etc/airflow-logins" }, { name: "API_TOKEN_FILE", value: "token.txt" }] }), []);
    assert.equal(findSecrets({ env: [{ name: "API_TOKEN", value: "token.txt" }] }).length, 1);
  });
});

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { albAnnotations, apiServerAccessValues, type ApiServerAccessInput, type UiAccess } from "../../constructs/airflow/api-server-access";
import { BREAK_GLASS_SCRIPT } from "../../constructs/airflow/break-glass-admin";
import { PASSWORD_LOGIN_ENV, SSO_CLIENT_SECRET_FILE, ssoRedirectUri, webserverConfig, type SsoSettings } from "../../constructs/airflow/webserver-config";
import { loadEnvironments, validateEnvironments } from "../../environments";
import { accessWarnings } from "../../configuration/derived/api-server-access";
import { findSecrets } from "../../lib/secret-scan";
import { shippedWith } from "../support/environments";
import { tempDir } from "../support/temp";

// webserver_config.py is run by real Python, as Flask's config.from_pyfile runs it, with only
// flask_appbuilder.const stubbed (its constants, as Flask-AppBuilder defines them).
const PYTHON = "/usr/bin/python3";
const FAB_CONSTANTS = "AUTH_OID = 0\nAUTH_DB = 1\nAUTH_LDAP = 2\nAUTH_REMOTE_USER = 3\nAUTH_OAUTH = 4\n";
const FROM_PYFILE = `
import json, sys, types
path = sys.argv[1]
module = types.ModuleType("config")
module.__file__ = path
with open(path, "rb") as config_file:
    exec(compile(config_file.read(), path, "exec"), module.__dict__)
print(json.dumps({key: getattr(module, key) for key in dir(module) if key.isupper()}))
`;

function runConfig(text: string, env: Record<string, string> = {}): { status: number | null; config: Record<string, unknown>; stderr: string } {
  if (!existsSync(PYTHON)) throw new Error(`${PYTHON} is missing: apt-get install python3 (the test runs webserver_config.py for real)`);
  const dir = tempDir("webserver-config");
  mkdirSync(join(dir, "stubs", "flask_appbuilder"), { recursive: true });
  writeFileSync(join(dir, "stubs", "flask_appbuilder", "__init__.py"), "");
  writeFileSync(join(dir, "stubs", "flask_appbuilder", "const.py"), FAB_CONSTANTS);
  writeFileSync(join(dir, "webserver_config.py"), text);
  writeFileSync(join(dir, "from_pyfile.py"), FROM_PYFILE);
  const run = spawnSync(PYTHON, [join(dir, "from_pyfile.py"), join(dir, "webserver_config.py")], {
    encoding: "utf8",
    env: { PATH: process.env.PATH ?? "", PYTHONPATH: join(dir, "stubs"), ...env },
  });
  return { status: run.status, config: run.status === 0 ? (JSON.parse(run.stdout) as Record<string, unknown>) : {}, stderr: run.stderr };
}

/** The shipped text with the secret's path pointed at a file the test writes. */
function withSecretAt(text: string, path: string): string {
  assert.equal(text.split(JSON.stringify(SSO_CLIENT_SECRET_FILE)).length, 2, "the path appears once");
  return text.replace(JSON.stringify(SSO_CLIENT_SECRET_FILE), JSON.stringify(path));
}

const sso: SsoSettings = {
  provider: "oidc",
  issuerUrl: "https://example.okta.com/oauth2/default",
  clientId: "0oa1example",
  roleMapping: { "airflow-admins": ["Admin"], "data-engineers": ["Op", "User"], analysts: ["Viewer"] },
  defaultRole: "Public",
  scopes: ["openid", "email", "profile", "groups"],
};
const ui: UiAccess = {
  hostname: "airflow.dev.example.com",
  certificateArn: "arn:aws:acm:eu-west-1:111111111111:certificate/00000000-0000-0000-0000-000000000000",
  scheme: "internal",
  allowedCidrs: ["10.10.0.0/16"],
  loadBalancerName: "airflow-dev-ui",
  sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
};
const input: ApiServerAccessInput = {
  ui,
  sso: { ...sso, clientSecretName: "airflow-sso-client-secret", clientSecretKey: "client-secret" },
  breakGlass: { username: "break-glass-admin", secretName: "airflow-break-glass-admin" },
};

describe("webserver_config.py, run by Python as the FAB auth manager loads it", () => {
  it("signs people in through OIDC, registers them at first login and maps their groups to roles at every login", () => {
    const dir = tempDir("sso-secret");
    writeFileSync(join(dir, "client-secret"), "s3cr3t-from-the-mounted-secret\n");
    const { status, config, stderr } = runConfig(withSecretAt(webserverConfig(sso), join(dir, "client-secret")));
    assert.equal(status, 0, stderr);
    assert.equal(config.AUTH_TYPE, 4, "AUTH_OAUTH");
    assert.equal(config.AUTH_USER_REGISTRATION, true);
    assert.equal(config.AUTH_USER_REGISTRATION_ROLE, "Public");
    assert.equal(config.AUTH_ROLES_SYNC_AT_LOGIN, true);
    assert.deepEqual(config.AUTH_ROLES_MAPPING, sso.roleMapping);
    assert.deepEqual(config.OAUTH_PROVIDERS, [
      {
        name: "oidc",
        icon: "fa-key",
        token_key: "access_token",
        remote_app: {
          client_id: "0oa1example",
          client_secret: "s3cr3t-from-the-mounted-secret",
          server_metadata_url: "https://example.okta.com/oauth2/default/.well-known/openid-configuration",
          client_kwargs: { scope: "openid email profile groups" },
        },
      },
    ]);
  });

  it("names Entra ID `azure`, the provider FAB reads the id token's roles for, and verifies its signature", () => {
    const dir = tempDir("sso-secret");
    writeFileSync(join(dir, "client-secret"), "x");
    const entra = { ...sso, provider: "entra-id" as const, issuerUrl: "https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0" };
    const { status, config, stderr } = runConfig(withSecretAt(webserverConfig(entra), join(dir, "client-secret")));
    assert.equal(status, 0, stderr);
    const [provider] = config.OAUTH_PROVIDERS as { name: string; remote_app: { client_kwargs: Record<string, unknown> } }[];
    assert.equal(provider.name, "azure");
    assert.equal(provider.remote_app.client_kwargs.verify_signature, true);
    // Without it FAB finds no tenant to check the id token's issuer against and refuses the login.
    assert.equal(provider.remote_app.client_kwargs.tenant_id, "72f988bf-86f1-41af-91ab-2d7cd011db47");
    assert.equal(ssoRedirectUri("airflow.dev.example.com", "entra-id"), "https://airflow.dev.example.com/auth/oauth-authorized/azure");
  });

  it("fails the API server's start, naming the file, when the client secret's Secret is missing", () => {
    const { status, stderr } = runConfig(withSecretAt(webserverConfig(sso), "/nonexistent/client-secret"));
    assert.notEqual(status, 0);
    assert.match(stderr, /RuntimeError: The OAuth client secret is not at \/nonexistent\/client-secret/);
  });

  it(`switches to password login (the break-glass admin) when ${PASSWORD_LOGIN_ENV}=true, without reading the client secret`, () => {
    const { status, config, stderr } = runConfig(withSecretAt(webserverConfig(sso), "/nonexistent/client-secret"), { [PASSWORD_LOGIN_ENV]: "true" });
    assert.equal(status, 0, stderr);
    assert.equal(config.AUTH_TYPE, 1, "AUTH_DB");
    assert.equal(config.AUTH_USER_REGISTRATION, false);
    assert.equal(config.OAUTH_PROVIDERS, undefined);
  });

  it("is password login with no self-registration when no SSO is configured", () => {
    const { status, config, stderr } = runConfig(webserverConfig(undefined));
    assert.equal(status, 0, stderr);
    assert.equal(config.AUTH_TYPE, 1);
    assert.equal(config.AUTH_USER_REGISTRATION, false);
    assert.equal(config.AUTH_ROLE_PUBLIC, undefined, "anonymous users get nothing");
  });

  it("holds no secret and nothing Helm's tpl would take for a template", () => {
    const text = webserverConfig(sso);
    assert.doesNotMatch(text, /\{\{/);
    assert.deepEqual(findSecrets({ apiServerConfig: text }), []);
  });
});

describe("the API server's Ingress and base URL", () => {
  const values = apiServerAccessValues(input) as Record<string, Record<string, Record<string, unknown>>>;

  it("asks the controller for an internal ALB with TLS from the ACM certificate, HTTP redirected, for the configured hostname", () => {
    const ingress = values.ingress.apiServer as { enabled: boolean; ingressClassName: string; hosts: { name: string }[]; pathType: string; annotations: Record<string, string> };
    assert.equal(ingress.enabled, true);
    assert.equal(ingress.ingressClassName, "alb");
    assert.deepEqual(ingress.hosts, [{ name: "airflow.dev.example.com" }]);
    assert.equal(ingress.pathType, "Prefix", "the ALB matches ImplementationSpecific / exactly");
    assert.equal(ingress.annotations["alb.ingress.kubernetes.io/scheme"], "internal");
    assert.equal(ingress.annotations["alb.ingress.kubernetes.io/certificate-arn"], ui.certificateArn);
    assert.deepEqual(JSON.parse(ingress.annotations["alb.ingress.kubernetes.io/listen-ports"]), [{ HTTP: 80 }, { HTTPS: 443 }]);
    assert.equal(ingress.annotations["alb.ingress.kubernetes.io/ssl-redirect"], "443");
    assert.equal(ingress.annotations["alb.ingress.kubernetes.io/inbound-cidrs"], "10.10.0.0/16");
    assert.equal(ingress.annotations["alb.ingress.kubernetes.io/target-type"], "ip");
    assert.equal(ingress.annotations["alb.ingress.kubernetes.io/healthcheck-path"], "/api/v2/monitor/health");
  });

  it("opens an internet-facing ALB only to the allowed CIDRs", () => {
    const annotations = albAnnotations({ ...ui, scheme: "internet-facing", allowedCidrs: ["203.0.113.0/24", "198.51.100.0/24"] });
    assert.equal(annotations["alb.ingress.kubernetes.io/scheme"], "internet-facing");
    assert.equal(annotations["alb.ingress.kubernetes.io/inbound-cidrs"], "203.0.113.0/24,198.51.100.0/24");
  });

  it("sets Airflow's base URL to the hostname, and leaves it relative for a port-forward without one", () => {
    assert.deepEqual(values.config.api, { base_url: "https://airflow.dev.example.com" });
    const forwarded = apiServerAccessValues({ ...input, ui: undefined }) as Record<string, Record<string, unknown>>;
    assert.equal((forwarded.config as Record<string, unknown>).api, undefined);
    assert.equal(forwarded.ingress, undefined);
  });

  it("mounts the client secret's Secret into the API server as a file, never as a value or env var", () => {
    const apiServer = values.apiServer as Record<string, unknown>;
    assert.deepEqual(apiServer.extraVolumes, [{ name: "sso-client-secret", secret: { secretName: "airflow-sso-client-secret", items: [{ key: "client-secret", path: "client-secret" }] } }]);
    assert.deepEqual(apiServer.extraVolumeMounts, [{ name: "sso-client-secret", mountPath: "/opt/airflow/secrets/sso", readOnly: true }]);
    assert.equal(apiServer.env, undefined, "the chart copies apiServer.env into [kubernetes_environment_variables]");
  });
});

describe("the break-glass admin's user job", () => {
  /** Runs the job's script with a stand-in `airflow` that records its arguments. */
  function runJob(failOn?: string) {
    const dir = tempDir("break-glass");
    const log = join(dir, "calls");
    const airflow = join(dir, "airflow");
    // It records its arguments and what it read on standard input (the password prompts' answers).
    writeFileSync(airflow, `#!/bin/bash\nprintf '%s | stdin: %s\\n' "$*" "$(tr '\\n' ' ')" >> ${JSON.stringify(log)}\n${failOn ? `[[ "$2" == ${JSON.stringify(failOn)} ]] && exit 1\n` : ""}exit 0\n`);
    chmodSync(airflow, 0o755);
    const run = spawnSync("bash", ["-c", BREAK_GLASS_SCRIPT], {
      encoding: "utf8",
      env: { PATH: `${dir}:${process.env.PATH ?? ""}`, BREAK_GLASS_USERNAME: "break-glass-admin", BREAK_GLASS_PASSWORD: "Generated0Password1From2Secrets3Manager" },
    });
    return { status: run.status, calls: existsSync(log) ? readFileSync(log, "utf8").trim().split("\n") : [] };
  }

  it("creates the admin if missing, then sets its password to the generated one, so a rerun or a new password just works", () => {
    const { status, calls } = runJob();
    assert.equal(status, 0);
    // The password only on standard input (prompt and confirmation), never in a command line.
    assert.deepEqual(calls, [
      "users create --role Admin --username break-glass-admin --email break-glass-admin@airflow.invalid --firstname Break --lastname Glass | stdin: Generated0Password1From2Secrets3Manager Generated0Password1From2Secrets3Manager ",
      "users reset-password --username break-glass-admin | stdin: Generated0Password1From2Secrets3Manager Generated0Password1From2Secrets3Manager",
    ]);
  });

  it("fails the job, and so the apply, when Airflow refuses", () => {
    assert.notEqual(runJob("create").status, 0);
    assert.notEqual(runJob("reset-password").status, 0);
  });

  it("reads the password from the Secret, so no value holds it", () => {
    const job = values().createUserJob as { env: { name: string; value?: string; valueFrom?: unknown }[] };
    assert.deepEqual(job.env.find((e) => e.name === "BREAK_GLASS_PASSWORD"), {
      name: "BREAK_GLASS_PASSWORD",
      valueFrom: { secretKeyRef: { name: "airflow-break-glass-admin", key: "password" } },
    });
  });

  function values(): Record<string, unknown> {
    return apiServerAccessValues(input);
  }
});

describe("the warning printed when synthesizing", () => {
  it("is given for an environment without a UI, and not once the UI has its hostname and certificate", () => {
    const [dev] = loadEnvironments("dev");
    assert.equal(accessWarnings(dev).length, 1);
    const [withUi] = validateEnvironments([
      shippedWith("dev", { airflow: { ui: { hostname: "airflow.dev.example.com", certificateArn: "arn:aws:acm:eu-west-1:111111111111:certificate/00000000-0000-0000-0000-000000000000" } } }),
    ]);
    assert.deepEqual(accessWarnings(withUi), []);
  });
});

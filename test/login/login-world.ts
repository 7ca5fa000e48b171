import { randomBytes } from "node:crypto";
import type { Browser } from "playwright-core";
import { BREAK_GLASS_SCRIPT } from "../../constructs/airflow/break-glass-admin";
import { PASSWORD_LOGIN_ENV } from "../../constructs/airflow/webserver-config";
import { prepareDatabase, startApiServer, type RunningApiServer } from "../support/airflow-api-server";
import { startAlbProxy, type RunningProxy } from "../support/alb-proxy";
import { launchChromium } from "../support/browser";
import { startIdp, type IdpUser, type RunningIdp } from "../support/oidc-idp";
import { pythonHostMap } from "../support/python-host-map";
import { selfSignedCertificate } from "../support/tls-certificate";
import { LOGIN_HOSTNAME, loginEnvironment } from "./login-environment";
import { renderedApiServerFiles } from "./rendered-files";

// Everything the login tests sign in against, started once: two identity providers (an Okta-like
// one and an Entra ID stand-in), four API servers with the platform's rendered configuration (SSO
// through each provider, SSO with the password-login switch on, no SSO), one ALB-like proxy in
// front of whichever the test is using, and one browser.

export const CLIENT_ID = "airflow-login-test";
export const BREAK_GLASS_USERNAME = "break-glass-admin";
/** Entra's directory id for the stand-in tenant. */
export const ENTRA_TENANT_ID = "72f988bf-0000-4000-8000-00000000c0de";
const ENTRA_AUTHORITY = "login.microsoftonline.com";

/** A DAG in the metadata database, so that who sees DAGs and who does not is a real difference. */
export const TEST_DAG_ID = "login_smoke";
const DAG_FILES = {
  "login_smoke.py": `import pendulum
from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.sdk import DAG

with DAG("${TEST_DAG_ID}", schedule=None, start_date=pendulum.datetime(2026, 1, 1, tz="UTC")):
    EmptyOperator(task_id="noop")
`,
};

const person = (username: string, groups: string[], objectId: string): IdpUser => ({
  username,
  email: `${username}@login.test`,
  givenName: username[0].toUpperCase() + username.slice(1),
  familyName: "Tester",
  groups,
  objectId,
});

export interface LoginWorld {
  readonly oidcIdp: RunningIdp;
  readonly entraIdp: RunningIdp;
  readonly servers: { readonly oidc: RunningApiServer; readonly entra: RunningApiServer; readonly passwordSwitch: RunningApiServer; readonly noSso: RunningApiServer };
  readonly proxy: RunningProxy;
  readonly browser: Browser;
  /** The break-glass password, generated for this run as the platform generates it. */
  readonly breakGlassPassword: string;
  readonly clientSecret: string;
  /** Seconds each phase took, printed by the suite. */
  readonly timings: Record<string, number>;
  close(): Promise<void>;
}

export async function startLoginWorld(): Promise<LoginWorld> {
  const started = Date.now();
  const timings: Record<string, number> = {};
  const mark = (phase: string) => (timings[phase] = (Date.now() - started) / 1000);
  const certificate = selfSignedCertificate([LOGIN_HOSTNAME, ENTRA_AUTHORITY]);
  const clientSecret = randomBytes(24).toString("hex");
  // As random_password (32 characters, no specials) makes it for the break-glass Secret.
  const breakGlassPassword = randomBytes(24).toString("base64").replace(/[^A-Za-z0-9]/g, "").slice(0, 32);
  const closers: (() => Promise<void>)[] = [];
  const close = async () => {
    for (const closer of closers.reverse()) await closer().catch(() => undefined);
  };
  try {
    const oidcIdp = await startIdp({
      flavour: "oidc",
      issuerFor: (port) => `https://127.0.0.1:${port}`,
      clientId: CLIENT_ID,
      clientSecret,
      redirectUris: [`https://${LOGIN_HOSTNAME}/auth/oauth-authorized/oidc`],
      users: [person("ada", ["airflow-admins"], "0a000000-0000-4000-8000-000000000001"), person("vera", ["analysts"], "0a000000-0000-4000-8000-000000000002"), person("nemo", ["marketing"], "0a000000-0000-4000-8000-000000000003"), person("sam", ["analysts"], "0a000000-0000-4000-8000-000000000004")],
      certificate,
    });
    closers.push(oidcIdp.close);
    const entraIdp = await startIdp({
      flavour: "entra-id",
      issuerFor: () => `https://${ENTRA_AUTHORITY}/${ENTRA_TENANT_ID}/v2.0`,
      clientId: CLIENT_ID,
      clientSecret,
      redirectUris: [`https://${LOGIN_HOSTNAME}/auth/oauth-authorized/azure`],
      users: [person("erin", ["airflow-admins"], "0e000000-0000-4000-8000-000000000005")],
      certificate,
      tenantId: ENTRA_TENANT_ID,
    });
    closers.push(entraIdp.close);

    const oidcFiles = renderedApiServerFiles(loginEnvironment({ provider: "oidc", issuerUrl: oidcIdp.issuer, clientId: CLIENT_ID }));
    const entraFiles = renderedApiServerFiles(loginEnvironment({ provider: "entra-id", issuerUrl: entraIdp.issuer, clientId: CLIENT_ID, scopes: ["openid", "email", "profile"] }));
    const noSsoFiles = renderedApiServerFiles(loginEnvironment(undefined));
    mark("helm render");

    // The chart's user job runs this script with the password from the break-glass Secret.
    const database = await prepareDatabase(oidcFiles, DAG_FILES, [
      { args: ["bash", "-c", BREAK_GLASS_SCRIPT], env: { BREAK_GLASS_USERNAME, BREAK_GLASS_PASSWORD: breakGlassPassword } },
      { args: ["airflow", "dags", "reserialize"], env: {} },
    ]);
    mark(`database ${database.migrated ? "migrated" : "schema from the cache"}, break-glass admin created, DAG serialized`);

    const hostMap = pythonHostMap({ [`${ENTRA_AUTHORITY}:443`]: entraIdp.port });
    const run = { database, dagFiles: DAG_FILES, caBundle: certificate.certPath, pythonPath: [hostMap.path] };
    const starting = {
      oidc: startApiServer({ ...run, files: oidcFiles, clientSecret }),
      entra: startApiServer({ ...run, files: entraFiles, clientSecret, env: hostMap.env }),
      passwordSwitch: startApiServer({ ...run, files: oidcFiles, clientSecret, env: { [PASSWORD_LOGIN_ENV]: "true" } }),
      noSso: startApiServer({ ...run, files: noSsoFiles }),
    };
    for (const server of Object.values(starting)) closers.push(async () => (await server).stop());
    const servers = { oidc: await starting.oidc, entra: await starting.entra, passwordSwitch: await starting.passwordSwitch, noSso: await starting.noSso };
    mark("four API servers serving");

    const proxy = await startAlbProxy(servers.oidc.url, certificate);
    closers.push(proxy.close);
    const browser = await launchChromium({ [LOGIN_HOSTNAME]: proxy.port, [ENTRA_AUTHORITY]: entraIdp.port });
    closers.push(() => browser.close());
    mark("browser");
    return { oidcIdp, entraIdp, servers, proxy, browser, breakGlassPassword, clientSecret, timings, close };
  } catch (error) {
    await close();
    throw error;
  }
}

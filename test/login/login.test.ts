import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { after, afterEach, before, describe, it } from "node:test";
import type { BrowserContext, Page } from "playwright-core";
import { ssoRedirectUri } from "../../constructs/airflow/webserver-config";
import { LOGIN_HOSTNAME } from "./login-environment";
import { BREAK_GLASS_USERNAME, startLoginWorld, TEST_DAG_ID, type LoginWorld } from "./login-world";

// People log in for real: Chromium walks the login against a real OpenID Connect provider and
// Airflow's API server with the webserver_config.py and airflow.cfg Helm renders for the
// platform, behind a TLS proxy that does what the ALB does. Airflow starts once for the suite.

const UI = `https://${LOGIN_HOSTNAME}`;
export const SCREENSHOT = join(__dirname, "..", ".work", "login", "admin-landed.png");

let world: LoginWorld;
const suiteStarted = Date.now();

before(async () => {
  world = await startLoginWorld();
});

after(async () => {
  await world?.close();
  const phases = Object.entries(world?.timings ?? {}).map(([phase, seconds]) => `${phase} ${seconds.toFixed(1)} s`).join(", ");
  console.log(`login suite: ${((Date.now() - suiteStarted) / 1000).toFixed(1)} s in all (${phases})`);
});

type Server = keyof LoginWorld["servers"];
// Each test's browsers are closed after it, so no page keeps working in the background.
const contexts: BrowserContext[] = [];
afterEach(async () => {
  for (const context of contexts.splice(0)) await context.close().catch(() => undefined);
});

/** A fresh browser (no cookies) at the UI, with the proxy in front of the given API server. */
async function openUi(server: Server): Promise<Page> {
  world.proxy.setUpstream(world.servers[server].url);
  const context = await world.browser.newContext({ ignoreHTTPSErrors: true });
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(`${UI}/`);
  return page;
}

/**
 * Opens the UI, chooses the provider, signs in at the identity provider; resolves where Airflow
 * sends the person. Unless `render`, the UI's scripts are not fetched once the person has signed
 * in at the IdP: the dashboard is not drawn (the screenshot test draws it), which spares the CPU.
 */
async function signIn(server: Server, provider: "oidc" | "azure", username: string, render = false): Promise<Page> {
  const page = await openUi(server);
  await Promise.all([page.waitForURL((url) => url.hostname !== LOGIN_HOSTNAME), page.click(`#btn-signin-${provider}`)]);
  await page.waitForLoadState("load");
  if ((await page.locator("input[name=username]").count()) === 0) {
    const received = (provider === "oidc" ? world.oidcIdp : world.entraIdp).receivedRedirectUris.at(-1);
    assert.fail(`the identity provider showed no sign-in form at ${page.url()} (redirect_uri it received: ${received}):\n${(await page.innerText("body")).slice(0, 400)}`);
  }
  await page.fill("input[name=username]", username);
  if (!render) await page.context().route(`${UI}/static/**`, (route) => route.abort());
  await page.click("button[type=submit]");
  await page.waitForURL((url) => url.hostname === LOGIN_HOSTNAME && !url.pathname.startsWith("/auth/oauth-authorized"), { waitUntil: "commit" });
  return page;
}

/** A REST call from the signed-in browser, with the cookie Airflow set, as the UI makes it. */
async function fromBrowser(page: Page, method: string, path: string): Promise<{ status: number; body: string }> {
  return (await page.evaluate(`fetch(${JSON.stringify(path)}, { method: ${JSON.stringify(method)}, headers: { "content-type": "application/json" }, body: ${method === "GET" ? "undefined" : "'{\"is_paused\": true}'"} })
    .then(async (response) => ({ status: response.status, body: await response.text() }))`)) as { status: number; body: string };
}

async function breakGlassToken(server: Server, password = world.breakGlassPassword): Promise<Response> {
  return fetch(`${world.servers[server].url}/auth/token`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username: BREAK_GLASS_USERNAME, password }) });
}

/** The user's Airflow roles, as the break-glass admin reads them from FAB's user API. */
async function rolesOf(server: Server, username: string): Promise<string[]> {
  const { access_token: token } = (await (await breakGlassToken(server)).json()) as { access_token: string };
  const response = await fetch(`${world.servers[server].url}/auth/fab/v1/users/${encodeURIComponent(username)}`, { headers: { authorization: `Bearer ${token}` } });
  const body = await response.text();
  assert.equal(response.status, 200, `${username} is not an Airflow user: ${body}`);
  return (JSON.parse(body) as { roles: { name: string }[] }).roles.map((role) => role.name).sort();
}

const dagIds = (body: string) => ((JSON.parse(body) as { dags?: { dag_id: string }[] }).dags ?? []).map((dag) => dag.dag_id);

/** What a person must see instead of a stack trace: Airflow's login page, saying why. */
async function assertClearLoginPage(page: Page, message: RegExp): Promise<void> {
  await page.waitForLoadState("load");
  assert.equal(new URL(page.url()).pathname, "/auth/login/", page.url());
  const text = await page.innerText("body");
  assert.match(text, message);
  assert.doesNotMatch(text, /Traceback|Ooops|Something bad has happened|Internal Server Error|File "/);
}

describe("single sign-on through an OpenID Connect provider (provider: oidc)", () => {
  it("an airflow-admins member lands in the UI as Admin, at https://<hostname>, via the redirect URI the IdP application registers", async () => {
    const page = await signIn("oidc", "oidc", "ada", true);
    assert.equal(page.url(), `${UI}/`);
    // FAB gives everyone who signs in the registration (default) role too: Public, which adds nothing.
    assert.deepEqual(await rolesOf("oidc", "ada"), ["Admin", "Public"]);
    // The API server speaks plain HTTP; the ALB's X-Forwarded-Proto makes every URL it builds https.
    assert.match(world.servers.oidc.url, /^http:\/\//);
    assert.equal(world.oidcIdp.receivedRedirectUris.at(-1), "https://airflow.login.test/auth/oauth-authorized/oidc");
    assert.equal(world.oidcIdp.receivedRedirectUris.at(-1), ssoRedirectUri(LOGIN_HOSTNAME, "oidc"));
    const token = (await page.context().cookies(UI)).find((cookie) => cookie.name === "_token");
    assert.ok(token?.secure && token.httpOnly, `Airflow's session token cookie must be Secure and HttpOnly: ${JSON.stringify(token && { ...token, value: "…" })}`);
    const dags = await fromBrowser(page, "GET", "/api/v2/dags");
    assert.equal(dags.status, 200, dags.body);
    assert.deepEqual(dagIds(dags.body), [TEST_DAG_ID]);
    // The artifact: the DAG list as the first administrator sees it.
    await page.goto(`${UI}/dags`);
    await page.getByText(TEST_DAG_ID).first().waitFor();
    mkdirSync(join(SCREENSHOT, ".."), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    console.log(`screenshot of the landed page: ${SCREENSHOT}`);
  });

  it("an analyst lands as Viewer: reads DAGs, cannot pause one", async () => {
    const page = await signIn("oidc", "oidc", "vera");
    assert.equal(page.url(), `${UI}/`);
    assert.deepEqual(await rolesOf("oidc", "vera"), ["Public", "Viewer"]);
    const dags = await fromBrowser(page, "GET", "/api/v2/dags");
    assert.deepEqual(dagIds(dags.body), [TEST_DAG_ID]);
    assert.equal((await fromBrowser(page, "PATCH", `/api/v2/dags/${TEST_DAG_ID}`)).status, 403);
  });

  it("someone in no mapped group gets the default role, Public, and sees no DAG", async () => {
    const page = await signIn("oidc", "oidc", "nemo");
    assert.deepEqual(await rolesOf("oidc", "nemo"), ["Public"]);
    const dags = await fromBrowser(page, "GET", "/api/v2/dags");
    assert.deepEqual(dags.status === 200 ? dagIds(dags.body) : [], [], `${dags.status} ${dags.body}`);
  });

  it("a second login after a group change has the new role (roles synced at every login)", async () => {
    await signIn("oidc", "oidc", "sam");
    assert.deepEqual(await rolesOf("oidc", "sam"), ["Public", "Viewer"]);
    world.oidcIdp.user("sam").groups = ["airflow-admins"];
    await signIn("oidc", "oidc", "sam");
    assert.deepEqual(await rolesOf("oidc", "sam"), ["Admin", "Public"]);
  });

  it("a client secret the IdP does not accept gives Airflow's login page with a message, not a stack trace", async () => {
    world.oidcIdp.setClientSecret("rotated-at-the-idp-but-not-in-airflow");
    try {
      const page = await signIn("oidc", "oidc", "ada");
      await assertClearLoginPage(page, /sign in was denied/i);
    } finally {
      world.oidcIdp.setClientSecret(world.clientSecret);
    }
  });
});

describe("single sign-on through Microsoft Entra ID (provider: entra-id)", () => {
  it("with the identity provider down, choosing it gives Airflow's login page with a message, not a stack trace", async () => {
    await world.entraIdp.pause();
    try {
      const page = await openUi("entra");
      await page.click("#btn-signin-azure");
      await page.waitForURL((url) => url.pathname === "/auth/login/");
      await assertClearLoginPage(page, /invalid login/i);
    } finally {
      await world.entraIdp.resume();
    }
  });

  it("a person with the airflow-admins app role (the id token's roles claim) lands as Admin", async () => {
    const page = await signIn("entra", "azure", "erin");
    assert.equal(page.url(), `${UI}/`);
    assert.equal(world.entraIdp.receivedRedirectUris.at(-1), "https://airflow.login.test/auth/oauth-authorized/azure");
    assert.equal(world.entraIdp.receivedRedirectUris.at(-1), ssoRedirectUri(LOGIN_HOSTNAME, "entra-id"));
    // FAB names Entra users by their object id.
    assert.deepEqual(await rolesOf("entra", world.entraIdp.user("erin").objectId), ["Admin", "Public"]);
  });
});

describe("the break-glass administrator", () => {
  it("gets a token from /auth/token with the generated password, which the REST API accepts; a wrong password gets none", async () => {
    const response = await breakGlassToken("oidc");
    assert.equal(response.status, 201);
    const { access_token: token } = (await response.json()) as { access_token: string };
    const dags = await fetch(`${world.servers.oidc.url}/api/v2/dags`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(dags.status, 200);
    assert.deepEqual(dagIds(await dags.text()), [TEST_DAG_ID]);
    assert.equal((await breakGlassToken("oidc", `${world.breakGlassPassword}x`)).status, 401);
  });

  for (const [server, what] of [["passwordSwitch", "with the password-login switch on, the login page is the password form, and it takes the password"], ["noSso", "without single sign-on, the login page takes the password"]] as const) {
    it(what, async () => {
      const page = await openUi(server);
      await page.waitForURL((url) => url.pathname === "/auth/login/");
      assert.equal(await page.locator("[id^=btn-signin-]").count(), 0, "no identity provider is offered");
      await page.fill("input[name=username]", BREAK_GLASS_USERNAME);
      await page.fill("input[name=password]", world.breakGlassPassword);
      await page.click("input[type=submit]");
      await page.waitForURL(`${UI}/`);
      const dags = await fromBrowser(page, "GET", "/api/v2/dags");
      assert.deepEqual(dagIds(dags.body), [TEST_DAG_ID]);
    });
  }
});

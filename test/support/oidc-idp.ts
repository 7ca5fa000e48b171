import { generateKeyPairSync, randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer, type Server } from "node:https";
import type { Socket } from "node:net";
import Provider, { type Account, type ProviderContext } from "oidc-provider";
import type { TestCertificate } from "./tls-certificate";

// A real OpenID Connect provider (oidc-provider, a certified implementation) on loopback, over
// TLS, for the login tests: authorization code flow with a confidential client, discovery,
// userinfo, JWKS, and a one-field sign-in form of its own at the interaction route. Two flavours:
// `oidc` puts the person's groups in userinfo's `groups` (Okta, Keycloak…); `entra-id` puts
// Entra's claims (oid, tid, upn, app `roles`) in the id token, under a Microsoft issuer.

/** FAB reads Entra's signing keys here, whatever the issuer (flask_appbuilder.const.MICROSOFT_KEY_SET_URL). */
export const MICROSOFT_KEY_SET_PATH = "/common/discovery/keys";

export interface IdpUser {
  readonly username: string;
  readonly email: string;
  readonly givenName: string;
  readonly familyName: string;
  /** Groups (oidc) or app roles (entra-id); the tests change them between logins. */
  groups: string[];
  /** Entra's immutable object id, which FAB takes as the Airflow user name. */
  readonly objectId: string;
}

export interface IdpOptions {
  readonly flavour: "oidc" | "entra-id";
  /**
   * The issuer for a port: `https://127.0.0.1:<port>` for oidc; for entra-id a Microsoft issuer
   * (`https://login.microsoftonline.com/<tenant>/v2.0`) that clients resolve to this server.
   */
  readonly issuerFor: (port: number) => string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly redirectUris: readonly string[];
  readonly users: readonly IdpUser[];
  readonly certificate: TestCertificate;
  /** Entra's directory (tenant) id. */
  readonly tenantId?: string;
}

export interface RunningIdp {
  readonly port: number;
  readonly issuer: string;
  /** Every redirect_uri the authorization endpoint received, in order. */
  readonly receivedRedirectUris: string[];
  user(username: string): IdpUser;
  /** Registers another secret for the client, as an operator rotating it at the IdP would. */
  setClientSecret(secret: string): void;
  /** Stops answering (every connection refused) until `resume`. */
  pause(): Promise<void>;
  resume(): Promise<void>;
  close(): Promise<void>;
}

const FORM_STYLE = "font-family:sans-serif;max-width:22em;margin:4em auto";

function html(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { "content-type": "text/html; charset=utf-8" });
  res.end(`<!doctype html><html><head><title>Test identity provider</title></head><body style="${FORM_STYLE}">${body}</body></html>`);
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  return new Promise((resolve, reject) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => (body += chunk));
    req.on("end", () => resolve(new URLSearchParams(body)));
    req.on("error", reject);
  });
}

function claimsFor(flavour: IdpOptions["flavour"], user: IdpUser, tenantId: string | undefined): Record<string, unknown> {
  const common = { email: user.email, email_verified: true, given_name: user.givenName, family_name: user.familyName, name: `${user.givenName} ${user.familyName}` };
  if (flavour === "oidc") return { sub: user.username, preferred_username: user.username, groups: [...user.groups], ...common };
  return { sub: user.objectId, oid: user.objectId, tid: tenantId, upn: user.email, preferred_username: user.email, roles: [...user.groups], ...common };
}

/** Starts the identity provider on a free loopback port. */
export async function startIdp(options: IdpOptions): Promise<RunningIdp> {
  const users = new Map(options.users.map((user) => [user.username, user]));
  const signingKey = { ...generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ format: "jwk" }), kid: "test-key-1", alg: "RS256", use: "sig" };
  const cookieKeys = [randomBytes(32).toString("hex")];
  const receivedRedirectUris: string[] = [];
  const sockets = new Set<Socket>();
  let issuer = "";
  let mountPath = "";
  let provider: Provider | undefined;

  const build = (clientSecret: string): Provider => {
    const entra = options.flavour === "entra-id";
    return new Provider(issuer, {
      clients: [{ client_id: options.clientId, client_secret: clientSecret, redirect_uris: [...options.redirectUris], grant_types: ["authorization_code"], response_types: ["code"] }],
      jwks: { keys: [signingKey] },
      cookies: { keys: cookieKeys },
      scopes: ["openid", "email", "profile", "groups", "offline_access"],
      claims: entra
        ? { openid: ["sub", "oid", "tid", "roles"], email: ["email", "email_verified", "upn"], profile: ["name", "given_name", "family_name", "preferred_username"] }
        : { openid: ["sub"], email: ["email", "email_verified"], profile: ["name", "given_name", "family_name", "preferred_username"], groups: ["groups"] },
      // Entra puts the person's claims in the id token; Okta-like providers serve them at userinfo.
      conformIdTokenClaims: !entra,
      features: { devInteractions: { enabled: false } },
      ttl: { Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
      interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `${mountPath}/interaction/${interaction.uid}` },
      findAccount: (_ctx: unknown, sub: string): Account | undefined => {
        const user = users.get(sub) ?? options.users.find((u) => u.objectId === sub);
        return user && { accountId: sub, claims: async () => claimsFor(options.flavour, user, options.tenantId) };
      },
      // A first-party application: no consent screen, as Okta and Entra do for apps an admin assigned.
      loadExistingGrant: async (ctx: ProviderContext) => {
        const { client, session } = ctx.oidc;
        if (!client || !session?.accountId) return undefined;
        const grant = new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId: session.accountId });
        grant.addOIDCScope([...ctx.oidc.requestParamScopes].join(" "));
        await grant.save();
        return grant;
      },
    });
  };

  const interaction = async (req: IncomingMessage, res: ServerResponse, path: string, current: Provider): Promise<void> => {
    const details = await current.interactionDetails(req, res);
    if (req.method === "POST" && path.endsWith("/login")) {
      const username = (await readForm(req)).get("username") ?? "";
      const user = users.get(username);
      if (!user) return html(res, 200, `<p>Unknown user ${escapeHtml(username)}</p><a href="${mountPath}/interaction/${details.uid}">Try again</a>`);
      return current.interactionFinished(req, res, { login: { accountId: options.flavour === "oidc" ? user.username : user.objectId } }, { mergeWithLastSubmission: false });
    }
    html(res, 200, `<h1>Sign in</h1><form method="post" action="${mountPath}/interaction/${details.uid}/login" autocomplete="off">
<label>Username <input name="username" autofocus></label> <button type="submit">Sign in</button></form>`);
  };

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const current = provider;
    if (!current) return html(res, 503, "starting");
    const url = new URL(req.url ?? "/", "https://idp.invalid");
    if (options.flavour === "entra-id" && url.pathname === MICROSOFT_KEY_SET_PATH) {
      const { kty, n, e, kid, alg, use } = signingKey;
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ keys: [{ kty, n, e, kid, alg, use }] }));
      return;
    }
    if (mountPath && !url.pathname.startsWith(mountPath)) return html(res, 404, "not found");
    const path = url.pathname.slice(mountPath.length) || "/";
    if (path === "/auth") receivedRedirectUris.push(url.searchParams.get("redirect_uri") ?? "");
    if (path.startsWith("/interaction/")) {
      interaction(req, res, path, current).catch((error: unknown) => html(res, 500, `<p>${escapeHtml(String(error))}</p>`));
      return;
    }
    // oidc-provider takes its mount path from what originalUrl has and url has not.
    Object.assign(req, { originalUrl: req.url, url: `${path}${url.search}` });
    current.callback()(req, res);
  };

  const server: Server = createServer({ cert: options.certificate.cert, key: options.certificate.key }, handle);
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("the test IdP has no TCP address");
  issuer = options.issuerFor(address.port);
  mountPath = new URL(issuer).pathname.replace(/\/$/, "");
  provider = build(options.clientSecret);

  const stopListening = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const socket of sockets) socket.destroy();
      sockets.clear();
    });
  return {
    port: address.port,
    issuer,
    receivedRedirectUris,
    user: (username) => {
      const user = users.get(username);
      if (!user) throw new Error(`the test IdP has no user ${username}`);
      return user;
    },
    setClientSecret: (secret) => {
      provider = build(secret);
    },
    // Nothing listens on the port: a client's connection is refused, as by an IdP that is down.
    pause: stopListening,
    resume: () => new Promise<void>((resolve) => server.listen(address.port, "127.0.0.1", resolve)),
    close: () => (server.listening ? stopListening() : Promise.resolve()),
  };
}

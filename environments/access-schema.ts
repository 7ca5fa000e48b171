import { z } from "zod";
import { entraTenantId } from "../constructs/airflow/webserver-config";
import { parseCidr } from "../constructs/network/cidr";
import type { RuleViolation } from "./rules";
import type { ParsedEnvironment } from "./schema";

// `airflow.ui` and `airflow.auth`: how people reach the API server and how they log in.

const k8sName = z.string().regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, "a Kubernetes name (lowercase, digits, dashes)");

/** Lowercase labels of letters, digits and inner dashes, at least two of them; no scheme, port or path. */
export const DNS_NAME_PATTERN = /^(?=.{4,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/;
const ACM_CERTIFICATE_PATTERN = /^arn:aws[a-z-]*:acm:([a-z0-9-]+):(\d{12}):certificate\/[0-9a-f-]{36}$/;

export const uiSchema = z
  .object({
    /** The UI's DNS name; Airflow's base URL becomes `https://<hostname>`. */
    hostname: z.string().regex(DNS_NAME_PATTERN, "a DNS name such as airflow.dev.example.com (lowercase, no scheme, port or path)"),
    /** An ACM certificate for the hostname, in the environment's account and region. */
    certificateArn: z.string().regex(ACM_CERTIFICATE_PATTERN, "an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<uuid>)"),
    scheme: z.enum(["internal", "internet-facing"]).default("internal"),
    /**
     * Who may connect. @default - the VPC's CIDR for an internal load balancer (add your VPN's or
     * office network's); required for an internet-facing one
     */
    allowedCidrs: z.array(z.string()).default([]),
  })
  .strict();

/** Roles an identity-provider group can be mapped to (Public grants nothing, so it is no mapping). */
const mappedRole = z.enum(["Admin", "Op", "User", "Viewer"]);

const ssoSchema = z
  .object({
    provider: z.enum(["oidc", "entra-id"]),
    /** The OpenID issuer, e.g. https://example.okta.com/oauth2/default (no trailing slash). */
    issuerUrl: z.string().regex(/^https:\/\/[a-z0-9.-]+(?::\d+)?(?:\/[\w.~%-]+)*$/, "an https issuer URL without a trailing slash or query"),
    clientId: z.string().regex(/^[\w.@:-]{1,200}$/, "the identity provider's client (application) id"),
    /** Exactly one source: a Secret created by hand, or a Secrets Manager secret the stack copies. */
    clientSecret: z
      .object({
        kubernetesSecretName: k8sName.optional(),
        key: z.string().regex(/^[-._a-zA-Z0-9]+$/).default("client-secret"),
        secretsManagerArn: z.string().regex(/^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[\w/+=.@-]+$/, "a Secrets Manager secret ARN").optional(),
        jsonKey: z.string().min(1).optional(),
      })
      .strict(),
    /** Identity-provider group (for entra-id: app role) → Airflow roles. */
    roleMapping: z.record(z.string().min(1), z.array(mappedRole).min(1)),
    /** The role of someone in no mapped group: Public can log in and see nothing. */
    defaultRole: z.enum(["Public", "Viewer"]).default("Public"),
    scopes: z.array(z.string().regex(/^[\w.:/-]+$/)).min(1).default(["openid", "email", "profile", "groups"]),
  })
  .strict();

export const authSchema = z
  .object({
    sso: ssoSchema.optional(),
    /** The break-glass administrator's user name; its password is generated. */
    breakGlassUsername: z.string().regex(/^[a-z][a-z0-9._-]{2,63}$/).default("break-glass-admin"),
  })
  .strict();

export type UiSettings = z.output<typeof uiSchema>;
export type AuthSettings = z.output<typeof authSchema>;

function checkUi(env: ParsedEnvironment): RuleViolation[] {
  const ui = env.airflow.ui;
  if (!ui) return [];
  const found: RuleViolation[] = [];
  ui.allowedCidrs.forEach((text, i) => {
    const block = parseCidr(text);
    if (!block || block.prefixLength === 0) {
      found.push({ path: ["airflow", "ui", "allowedCidrs", i], given: text, allowed: "an IPv4 CIDR with no host bits set, never 0.0.0.0/0" });
    }
  });
  if (ui.scheme === "internet-facing" && ui.allowedCidrs.length === 0) {
    found.push({ path: ["airflow", "ui", "allowedCidrs"], given: ui.allowedCidrs, allowed: "the CIDRs allowed to reach an internet-facing UI (at least one): it is never open to everyone" });
  }
  if (ui.allowedCidrs.length === 0 && env.network.vpcCidr === undefined) {
    found.push({ path: ["airflow", "ui", "allowedCidrs"], given: ui.allowedCidrs, allowed: "the CIDRs allowed to reach the UI: with an existing VPC and no network.vpcCidr there is no VPC range to default to" });
  }
  if (ui.scheme === "internet-facing" && env.network.existingVpc && env.network.existingVpc.publicSubnetIds.length === 0) {
    found.push({ path: ["airflow", "ui", "scheme"], given: ui.scheme, allowed: '"internal": an internet-facing load balancer needs public subnets, and network.existingVpc has none' });
  }
  const certificate = ACM_CERTIFICATE_PATTERN.exec(ui.certificateArn);
  if (certificate && (certificate[1] !== env.account.region || certificate[2] !== env.account.id)) {
    found.push({ path: ["airflow", "ui", "certificateArn"], given: ui.certificateArn, allowed: `a certificate in the environment's account and region (${env.account.id}, ${env.account.region}), where the load balancer is` });
  }
  return found;
}

function checkSso(env: ParsedEnvironment): RuleViolation[] {
  const sso = env.airflow.auth.sso;
  if (!sso) return [];
  const found: RuleViolation[] = [];
  const sources = [sso.clientSecret.kubernetesSecretName, sso.clientSecret.secretsManagerArn].filter((s) => s !== undefined);
  if (sources.length !== 1) {
    found.push({ path: ["airflow", "auth", "sso", "clientSecret"], given: sso.clientSecret, allowed: "exactly one of kubernetesSecretName (a Secret created by hand) or secretsManagerArn" });
  }
  if (sso.clientSecret.jsonKey !== undefined && sso.clientSecret.secretsManagerArn === undefined) {
    found.push({ path: ["airflow", "auth", "sso", "clientSecret", "jsonKey"], given: sso.clientSecret.jsonKey, allowed: "jsonKey only with secretsManagerArn" });
  }
  if (sso.provider === "entra-id" && entraTenantId(sso.issuerUrl) === undefined) {
    found.push({ path: ["airflow", "auth", "sso", "issuerUrl"], given: sso.issuerUrl, allowed: "for entra-id, the tenant's v2.0 issuer, https://login.microsoftonline.com/<tenant id>/v2.0: Airflow verifies Entra ID tokens against that tenant" });
  }
  if (!Object.values(sso.roleMapping).some((roles) => roles.includes("Admin"))) {
    found.push({ path: ["airflow", "auth", "sso", "roleMapping"], given: sso.roleMapping, allowed: "at least one group mapped to Admin: otherwise nobody who signs in can manage users and roles" });
  }
  if (!env.airflow.ui) {
    found.push({ path: ["airflow", "auth", "sso"], given: "single sign-on", allowed: "airflow.ui with a hostname and certificate too: the identity provider redirects to https://<hostname>" });
  }
  return found;
}

/** Rules of the UI and login settings. */
export function checkAccessRules(env: ParsedEnvironment): RuleViolation[] {
  return [...checkUi(env), ...checkSso(env)];
}

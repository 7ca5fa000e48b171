import { z } from "zod";

// `airflow.ui` and `airflow.auth`: how people reach the API server and how they log in.

const k8sName = z.string().regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, "a Kubernetes name (lowercase, digits, dashes)");

/** Lowercase labels of letters, digits and inner dashes, at least two of them; no scheme, port or path. */
export const DNS_NAME_PATTERN = /^(?=.{4,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/;
export const ACM_CERTIFICATE_PATTERN = /^arn:aws[a-z-]*:acm:([a-z0-9-]+):(\d{12}):certificate\/[0-9a-f-]{36}$/;

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

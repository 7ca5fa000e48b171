import { nodePoolLabels } from "../cluster/node-placement";
import { ALB_INGRESS_CLASS } from "../ingress/load-balancer-controller-versions";
import { BREAK_GLASS_PASSWORD_KEY, breakGlassUserArgs } from "./break-glass-admin";
import { SSO_CLIENT_SECRET_DIR, webserverConfig, type SsoSettings } from "./webserver-config";

/** The FAB auth manager, named explicitly: webserver_config.py is written for it. */
export const FAB_AUTH_MANAGER = "airflow.providers.fab.auth_manager.fab_auth_manager.FabAuthManager";

/** What the API server's probes call; the load balancer checks the same path. */
export const API_SERVER_HEALTH_PATH = "/api/v2/monitor/health";

export interface UiAccess {
  readonly hostname: string;
  /** An ACM certificate for the hostname, in the environment's region. */
  readonly certificateArn: string;
  readonly scheme: "internal" | "internet-facing";
  /** Who may connect to the load balancer. */
  readonly allowedCidrs: readonly string[];
  /** The load balancer's name (at most 32 characters). */
  readonly loadBalancerName: string;
  readonly sslPolicy: string;
}

export interface ApiServerAccessInput {
  /** The Ingress; without it the UI is reachable only with `kubectl port-forward`. */
  readonly ui?: UiAccess;
  /** Single sign-on; without it only the break-glass admin can log in. */
  readonly sso?: SsoSettings & { readonly clientSecretName: string; readonly clientSecretKey: string };
  readonly breakGlass: { readonly username: string; readonly secretName: string };
}

/**
 * Annotations of the API server's Ingress for the AWS Load Balancer Controller: an ALB of the
 * given scheme, HTTPS with the ACM certificate (HTTP only redirects), traffic straight to the pods.
 * @see https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/ingress/annotations/
 */
export function albAnnotations(ui: UiAccess): Record<string, string> {
  return {
    "alb.ingress.kubernetes.io/load-balancer-name": ui.loadBalancerName,
    "alb.ingress.kubernetes.io/scheme": ui.scheme,
    "alb.ingress.kubernetes.io/target-type": "ip",
    "alb.ingress.kubernetes.io/certificate-arn": ui.certificateArn,
    "alb.ingress.kubernetes.io/ssl-policy": ui.sslPolicy,
    "alb.ingress.kubernetes.io/listen-ports": JSON.stringify([{ HTTP: 80 }, { HTTPS: 443 }]),
    "alb.ingress.kubernetes.io/ssl-redirect": "443",
    // The controller's default is 0.0.0.0/0 whatever the scheme.
    "alb.ingress.kubernetes.io/inbound-cidrs": ui.allowedCidrs.join(","),
    "alb.ingress.kubernetes.io/healthcheck-path": API_SERVER_HEALTH_PATH,
    "alb.ingress.kubernetes.io/load-balancer-attributes": "routing.http.drop_invalid_header_fields.enabled=true",
  };
}

function ingressValues(ui: UiAccess) {
  return {
    apiServer: {
      enabled: true,
      ingressClassName: ALB_INGRESS_CLASS,
      annotations: albAnnotations(ui),
      hosts: [{ name: ui.hostname }],
      path: "/",
      // The chart's default, ImplementationSpecific, makes the ALB match "/" exactly.
      pathType: "Prefix",
    },
  };
}

/**
 * Chart values for reaching and logging in to Airflow: the Ingress, the base URL, the FAB auth
 * manager's webserver_config.py (with the client secret mounted from its Secret), and the
 * chart's user job turned into the idempotent creation of the break-glass admin. Pure, and free
 * of secrets: the passwords stay in Kubernetes Secrets, referenced by name.
 */
export function apiServerAccessValues(input: ApiServerAccessInput): Record<string, unknown> {
  const { ui, sso, breakGlass } = input;
  const secretVolume = sso
    ? {
        extraVolumes: [{ name: "sso-client-secret", secret: { secretName: sso.clientSecretName, items: [{ key: sso.clientSecretKey, path: "client-secret" }] } }],
        extraVolumeMounts: [{ name: "sso-client-secret", mountPath: SSO_CLIENT_SECRET_DIR, readOnly: true }],
      }
    : {};
  return {
    config: {
      core: { auth_manager: FAB_AUTH_MANAGER },
      // Without a hostname the UI is reached through a port-forward: links stay relative.
      ...(ui ? { api: { base_url: `https://${ui.hostname}` } } : {}),
      // The ALB ends TLS: X-Forwarded-Proto must count, or OAuth redirects would say http://.
      // Behind it the UI is HTTPS only (port 80 redirects), so the session cookie is Secure.
      fab: { enable_proxy_fix: "True", ...(ui ? { cookie_secure: "True" } : {}) },
    },
    apiServer: { apiServerConfig: webserverConfig(sso), ...secretVolume },
    ...(ui ? { ingress: ingressValues(ui) } : {}),
    createUserJob: {
      enabled: true,
      // Helm hooks and Terraform's helm_release wait on each other (terraform-provider-helm#683).
      useHelmHooks: false,
      // A plain Job with a fixed name: deleted when done, so an upgrade recreates it rather than
      // patching its immutable pod template (as the migration job, airflow-values.ts).
      ttlSecondsAfterFinished: 0,
      applyCustomEnv: false,
      args: breakGlassUserArgs(),
      env: [
        { name: "BREAK_GLASS_USERNAME", value: breakGlass.username },
        { name: "BREAK_GLASS_PASSWORD", valueFrom: { secretKeyRef: { name: breakGlass.secretName, key: BREAK_GLASS_PASSWORD_KEY } } },
      ],
      resources: { requests: { cpu: "250m", memory: "512Mi" }, limits: { cpu: "1000m", memory: "1024Mi" } },
      nodeSelector: nodePoolLabels("system"),
    },
  };
}

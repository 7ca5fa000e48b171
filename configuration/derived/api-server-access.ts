import { apiServerAccessValues, type ApiServerAccessInput } from "../../constructs/airflow/api-server-access";
import { ALB_SSL_POLICY } from "../../constructs/ingress/load-balancer-controller-release";
import type { EnvironmentConfig } from "../schema/environment-config";

/** The Kubernetes Secret the break-glass admin's password is kept in (created by the platform stack). */
export const BREAK_GLASS_SECRET_NAME = "airflow-break-glass-admin";
/** The Secret the platform stack copies the OAuth client secret into, when it comes from Secrets Manager. */
export const SSO_CLIENT_SECRET_NAME = "airflow-sso-client-secret";

/** The name of the UI's load balancer (the controller allows 32 characters). */
export function uiLoadBalancerName(config: Pick<EnvironmentConfig, "resourcePrefix">): string {
  return `${config.resourcePrefix}-ui`;
}

/** The environment's UI, login and break-glass settings, as the values builder takes them. */
export function apiServerAccessInput(config: EnvironmentConfig): ApiServerAccessInput {
  const { ui, auth } = config.airflow;
  const sso = auth.sso;
  return {
    ui: ui && {
      hostname: ui.hostname,
      certificateArn: ui.certificateArn,
      scheme: ui.scheme,
      // Validation requires allowedCidrs when an existing VPC gives no vpcCidr to default to.
      allowedCidrs: ui.allowedCidrs.length > 0 || config.network.vpcCidr === undefined ? ui.allowedCidrs : [config.network.vpcCidr],
      loadBalancerName: uiLoadBalancerName(config),
      sslPolicy: ALB_SSL_POLICY,
    },
    sso: sso && {
      provider: sso.provider,
      issuerUrl: sso.issuerUrl,
      clientId: sso.clientId,
      roleMapping: sso.roleMapping,
      defaultRole: sso.defaultRole,
      scopes: sso.scopes,
      clientSecretName: sso.clientSecret.kubernetesSecretName ?? SSO_CLIENT_SECRET_NAME,
      clientSecretKey: sso.clientSecret.key,
    },
    breakGlass: { username: auth.breakGlassUsername, secretName: BREAK_GLASS_SECRET_NAME },
  };
}

/** The chart values for reaching and logging in to Airflow. */
export function apiServerAccessValuesFor(config: EnvironmentConfig): Record<string, unknown> {
  return apiServerAccessValues(apiServerAccessInput(config));
}

/** Said when synthesizing: what an operator must know before relying on the environment. */
export function accessWarnings(config: EnvironmentConfig): string[] {
  if (config.airflow.ui) return [];
  return [
    `[${config.name}] no airflow.ui (hostname and ACM certificate): the Airflow UI has no load balancer and is reachable only with ` +
      `kubectl -n ${config.airflow.namespace} port-forward svc/airflow-api-server 8080:8080, from a machine that reaches the cluster's private API.`,
  ];
}

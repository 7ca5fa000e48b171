import { entraTenantId } from "../../constructs/airflow/webserver-config";
import { parseCidr } from "../../constructs/network/cidr";
import type { RuleViolation } from "../common/rule-violation";
import { ACM_CERTIFICATE_PATTERN } from "../schema/access";
import type { ParsedEnvironment } from "../schema/environment";

// Rules of `airflow.ui` and `airflow.auth` that relate their fields to each other and to the network and account.

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

import { API_SERVER_PORT } from "../../constructs/airflow/containment-values";
import { PGBOUNCER_PORT } from "../../constructs/airflow/pgbouncer-config";
import { DATADOG_NAMESPACE } from "../../constructs/datadog/datadog-agent-release";
import { DOGSTATSD_PORT } from "../../constructs/datadog/dogstatsd";
import { platformNetworkPolicies, type NetworkPolicyObject } from "../../constructs/kubernetes/network-policies";
import type { EnvironmentConfig } from "../schema/environment-config";

/** RFC 1918: where an existing VPC without a stated CIDR may be. */
const PRIVATE_RANGES = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"];

/** Ports the policies open, beyond the platform's own constants. */
export const POLICY_PORTS = {
  apiServer: API_SERVER_PORT,
  /** The chart's `ports.workerLogs` and `ports.triggererLogs`: the log servers the API server reads. */
  workerLogs: 8793,
  triggererLogs: 8794,
  /** RDS PostgreSQL (the metadata database's port). */
  database: 5432,
  /** The Datadog cluster agent's API (agents ask it for cluster-level metadata). */
  clusterAgent: 5005,
  /** The Datadog cluster agent's admission webhook, called by the control plane. */
  admissionWebhook: 8000,
} as const;

/**
 * An environment's NetworkPolicies. The VPC's CIDR when the configuration has it; with an existing
 * VPC given without one, every private range (wider on the few ports that need the VPC, never on
 * the internet side, which excludes them all anyway).
 */
export function networkPoliciesFor(config: EnvironmentConfig): NetworkPolicyObject[] {
  return platformNetworkPolicies({
    airflowNamespace: config.airflow.namespace,
    taskNamespace: config.airflow.taskNamespace,
    datadogNamespace: DATADOG_NAMESPACE,
    vpcCidrs: config.network.vpcCidr ? [config.network.vpcCidr] : PRIVATE_RANGES,
    serviceCidr: config.cluster.serviceIpv4Cidr,
    ports: { ...POLICY_PORTS, pgbouncer: PGBOUNCER_PORT, dogstatsd: DOGSTATSD_PORT },
  });
}

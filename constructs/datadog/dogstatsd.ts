// Where Airflow's StatsD metrics go, agreed in one place by the Airflow release and the Datadog
// agent: the agent's DogStatsD listens on every node at hostPort 8125 (non-local traffic on), and
// each Airflow pod sends to its own node's IP, taken from the downward API. A node-local agent
// keeps metrics off the network and needs no Service for pods spread over 60 nodes.

export const DOGSTATSD_PORT = 8125;

/** Airflow reads its StatsD host from this variable, overriding `[metrics] statsd_host`. */
export const STATSD_HOST_ENV = "AIRFLOW__METRICS__STATSD_HOST";

/** A container env entry that resolves to the node's IP at pod start. */
export function statsdHostFromNodeIp() {
  return { name: STATSD_HOST_ENV, valueFrom: { fieldRef: { fieldPath: "status.hostIP" } } };
}

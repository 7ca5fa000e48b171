/**
 * The platform's NetworkPolicies, as Kubernetes objects (pure data: the tests evaluate these very
 * objects, and `PlatformNetworkPolicies` hands them to the cluster). Enforced by the EKS VPC CNI's
 * network policy agent (enabled in the vpc-cni add-on, constructs/cluster/eks-addons.ts). Every
 * namespace the platform owns starts from deny-all in both directions; each component then gets
 * what it needs, and no more (docs/containment.md has the table).
 *
 * One thing no policy can block: the agent always allows a pod's traffic to and from its own
 * node's IP (aws-network-policy-agent#56/#65, for kubelet probes). So a pod reaches its node's
 * DogStatsD port by that rule too, and its node's kubelet, which refuses a caller without a token.
 * @see https://docs.aws.amazon.com/eks/latest/userguide/cni-network-policy.html
 */
export interface LabelSelector {
  readonly matchLabels?: Readonly<Record<string, string>>;
  readonly matchExpressions?: readonly { readonly key: string; readonly operator: "In" | "NotIn" | "Exists" | "DoesNotExist"; readonly values?: readonly string[] }[];
}
export interface NetworkPeer {
  readonly podSelector?: LabelSelector;
  readonly namespaceSelector?: LabelSelector;
  readonly ipBlock?: { readonly cidr: string; readonly except?: readonly string[] };
}
export interface NetworkPort {
  readonly protocol: "TCP" | "UDP";
  readonly port: number;
}
export interface NetworkPolicyObject {
  readonly apiVersion: "networking.k8s.io/v1";
  readonly kind: "NetworkPolicy";
  readonly metadata: { readonly name: string; readonly namespace: string; readonly labels?: Readonly<Record<string, string>> };
  readonly spec: {
    readonly podSelector: LabelSelector;
    readonly policyTypes: readonly ("Ingress" | "Egress")[];
    readonly ingress?: readonly { readonly from?: readonly NetworkPeer[]; readonly ports?: readonly NetworkPort[] }[];
    readonly egress?: readonly { readonly to?: readonly NetworkPeer[]; readonly ports?: readonly NetworkPort[] }[];
  };
}

export interface NetworkPolicyInput {
  readonly airflowNamespace: string;
  readonly taskNamespace: string;
  readonly datadogNamespace: string;
  /** The VPC's CIDR(s): nodes, pods (VPC CNI), RDS, the EKS API's network interfaces, the load balancer. */
  readonly vpcCidrs: readonly string[];
  /** The cluster's Service CIDR (the `kubernetes` Service's address is in it). */
  readonly serviceCidr: string;
  readonly ports: { readonly apiServer: number; readonly workerLogs: number; readonly triggererLogs: number; readonly pgbouncer: number; readonly database: number; readonly dogstatsd: number; readonly clusterAgent: number; readonly admissionWebhook: number };
}

/** Never "the internet": private ranges (the VPC, peered networks), carrier-grade NAT, link-local (IMDS at 169.254.169.254). */
export const NOT_INTERNET = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "169.254.0.0/16"] as const;

const nsSelector = (name: string): LabelSelector => ({ matchLabels: { "kubernetes.io/metadata.name": name } });
const tcp = (port: number): NetworkPort => ({ protocol: "TCP", port });
const udp = (port: number): NetworkPort => ({ protocol: "UDP", port });
const internet: NetworkPeer = { ipBlock: { cidr: "0.0.0.0/0", except: [...NOT_INTERNET] } };
const dns = { to: [{ namespaceSelector: nsSelector("kube-system"), podSelector: { matchLabels: { "k8s-app": "kube-dns" } } }], ports: [udp(53), tcp(53)] };

/** The chart's labels on Airflow's pods (`tier`, `component`, `release`). */
export const AIRFLOW_COMPONENTS = ["scheduler", "api-server", "dag-processor", "triggerer", "run-airflow-migrations", "create-user-job"] as const;
const airflowPods = (components: readonly string[]): LabelSelector => ({ matchLabels: { tier: "airflow" }, matchExpressions: [{ key: "component", operator: "In", values: [...components] }] });
const pgbouncerPods: LabelSelector = { matchLabels: { tier: "airflow", component: "pgbouncer" } };
const apiServerPods: LabelSelector = { matchLabels: { tier: "airflow", component: "api-server" } };
/** The database bootstrap Job's pods (constructs/database/database-bootstrap.ts). */
const bootstrapPods: LabelSelector = { matchLabels: { "app.kubernetes.io/name": "airflow-db-bootstrap" } };
/** The Datadog chart's labels: the node agent and the cluster agent. */
const agentPods: LabelSelector = { matchLabels: { app: "datadog" } };
const clusterAgentPods: LabelSelector = { matchLabels: { app: "datadog-cluster-agent" } };

function policy(namespace: string, name: string, podSelector: LabelSelector, rules: Pick<NetworkPolicyObject["spec"], "ingress" | "egress">): NetworkPolicyObject {
  const policyTypes = [...(rules.ingress ? (["Ingress"] as const) : []), ...(rules.egress ? (["Egress"] as const) : [])];
  return { apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name, namespace, labels: { "app.kubernetes.io/managed-by": "airflow-platform" } }, spec: { podSelector, policyTypes, ...rules } };
}

const denyAll = (namespace: string) => policy(namespace, "default-deny", {}, { ingress: [], egress: [] });

/** Every policy, namespace by namespace. */
export function platformNetworkPolicies(input: NetworkPolicyInput): NetworkPolicyObject[] {
  const { airflowNamespace: airflow, taskNamespace: tasks, datadogNamespace: datadog, ports: p } = input;
  const vpc: NetworkPeer[] = input.vpcCidrs.map((cidr) => ({ ipBlock: { cidr } }));
  const dogstatsd = { to: [...vpc, { namespaceSelector: nsSelector(datadog), podSelector: agentPods }], ports: [udp(p.dogstatsd)] };
  return [
    // Task pods: the execution API, DNS, DogStatsD and the internet; not PgBouncer, RDS, other
    // nodes' kubelets, the EKS API or IMDS.
    denyAll(tasks),
    policy(tasks, "task-pods", {}, {
      // The API server reads a running task's log from its log server when the shared volume has none yet.
      ingress: [{ from: [{ namespaceSelector: nsSelector(airflow), podSelector: apiServerPods }], ports: [tcp(p.workerLogs)] }],
      egress: [dns, { to: [{ namespaceSelector: nsSelector(airflow), podSelector: apiServerPods }], ports: [tcp(p.apiServer)] }, dogstatsd, { to: [internet] }],
    }),

    denyAll(airflow),
    policy(airflow, "dns", {}, { egress: [dns] }),
    // Airflow's components: PgBouncer, DogStatsD, the internet (git-sync, the identity provider,
    // what DAG parsing and triggers call).
    policy(airflow, "airflow-components", airflowPods(AIRFLOW_COMPONENTS), {
      egress: [{ to: [{ podSelector: pgbouncerPods }], ports: [tcp(p.pgbouncer)] }, dogstatsd, { to: [internet] }],
    }),
    // The scheduler starts task pods and the API server reads their logs: the EKS API.
    policy(airflow, "kubernetes-api", airflowPods(["scheduler", "api-server"]), {
      egress: [{ to: [...vpc, { ipBlock: { cidr: input.serviceCidr } }], ports: [tcp(443)] }],
    }),
    // The API server: the UI through the load balancer (IP targets, in the VPC), the execution
    // API for task pods, and Airflow's own components.
    policy(airflow, "api-server", apiServerPods, {
      ingress: [{ from: [...vpc, { namespaceSelector: nsSelector(tasks) }, { podSelector: { matchLabels: { tier: "airflow" } } }], ports: [tcp(p.apiServer)] }],
      // Logs not yet on the shared volume: a running task's and the triggerer's log servers.
      egress: [
        { to: [{ namespaceSelector: nsSelector(tasks) }], ports: [tcp(p.workerLogs)] },
        { to: [{ podSelector: airflowPods(["triggerer"]) }], ports: [tcp(p.triggererLogs)] },
      ],
    }),
    // The triggerer's log server, for the API server.
    policy(airflow, "triggerer-logs", airflowPods(["triggerer"]), {
      ingress: [{ from: [{ podSelector: apiServerPods }], ports: [tcp(p.triggererLogs)] }],
    }),
    // PgBouncer: Airflow's components and the agent's PgBouncer check in; RDS out.
    policy(airflow, "pgbouncer", pgbouncerPods, {
      ingress: [{ from: [{ podSelector: airflowPods(AIRFLOW_COMPONENTS) }, { namespaceSelector: nsSelector(datadog), podSelector: agentPods }], ports: [tcp(p.pgbouncer)] }],
      egress: [{ to: vpc, ports: [tcp(p.database)] }],
    }),
    // The bootstrap Job: RDS, and STS and Secrets Manager (public endpoints, through NAT).
    policy(airflow, "database-bootstrap", bootstrapPods, {
      egress: [{ to: vpc, ports: [tcp(p.database)] }, { to: [internet], ports: [tcp(443)] }],
    }),

    // The agent reads its node (kubelet, IMDS for host metadata), the cluster agent, the EKS API,
    // PgBouncer and Datadog's intake: egress stays open. Ingress: DogStatsD from pods, the cluster
    // agent's API from the agents, its admission webhook from the control plane.
    denyAll(datadog),
    policy(datadog, "agent", agentPods, { ingress: [{ from: vpc, ports: [udp(p.dogstatsd)] }], egress: [{}] }),
    policy(datadog, "cluster-agent", clusterAgentPods, {
      ingress: [
        { from: [{ podSelector: agentPods }], ports: [tcp(p.clusterAgent)] },
        { from: vpc, ports: [tcp(p.admissionWebhook)] },
      ],
      egress: [{}],
    }),
  ];
}

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AUTOSCALER_ARGS, CLUSTER_AUTOSCALER_CONTAINER, CLUSTER_AUTOSCALER_DEPLOYMENT } from "../../constructs/autoscaler/cluster-autoscaler-release";
import { CLUSTER_AUTOSCALER_SERVICE_ACCOUNT } from "../../constructs/autoscaler/cluster-autoscaler-role";
import { ALB_SSL_POLICY } from "../../constructs/ingress/load-balancer-controller-release";
import { ALB_INGRESS_CLASS, LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT } from "../../constructs/ingress/load-balancer-controller-versions";
import { loadEnvironments } from "../../environments";
import type { Manifest } from "../support/helm";
import { platformManifests } from "../support/platform-manifests";

// What the constructs assume of the two upstream charts, read from what Helm renders with the
// values in the platform stack: the names the monitors and IRSA trusts use, the autoscaler flags
// the capacity replay reads, the Datadog check keyed by the container's name, the controller's
// IngressClass, TLS policy and webhooks.

interface Container {
  readonly name: string;
  readonly command?: readonly string[];
  readonly args?: readonly string[];
  readonly ports?: readonly { readonly containerPort: number }[];
}
interface Workload extends Manifest {
  readonly spec: { readonly template: { readonly metadata: { readonly annotations?: Record<string, string> }; readonly spec: { readonly serviceAccountName: string; readonly containers: readonly Container[] } } };
}

const one = (objects: readonly Manifest[], kind: string, name: string): Manifest => {
  const found = objects.filter((o) => o.kind === kind && o.metadata.name === name);
  assert.equal(found.length, 1, `${kind}/${name}: ${found.length} rendered`);
  return found[0];
};
const roleArn = (account: Manifest) => ((account.metadata as { annotations?: Record<string, string> }).annotations ?? {})["eks.amazonaws.com/role-arn"];

for (const env of platformManifests(loadEnvironments(undefined))) {
  describe(`${env.config.name}: the Cluster Autoscaler's release`, () => {
    const deployment = one(env.autoscaler, "Deployment", CLUSTER_AUTOSCALER_DEPLOYMENT) as Workload;
    const pod = deployment.spec.template;

    it("runs as the account its IRSA role trusts, annotated with that role", () => {
      assert.equal(deployment.metadata.namespace, CLUSTER_AUTOSCALER_SERVICE_ACCOUNT.namespace);
      assert.equal(pod.spec.serviceAccountName, CLUSTER_AUTOSCALER_SERVICE_ACCOUNT.name);
      assert.match(roleArn(one(env.autoscaler, "ServiceAccount", CLUSTER_AUTOSCALER_SERVICE_ACCOUNT.name)) ?? "", /cluster-autoscaler-role/);
    });

    it("passes every flag the capacity replay models to the autoscaler's command", () => {
      const container = pod.spec.containers.find((c) => c.name === CLUSTER_AUTOSCALER_CONTAINER);
      assert.ok(container, `container ${CLUSTER_AUTOSCALER_CONTAINER} in ${pod.spec.containers.map((c) => c.name).join(", ")}`);
      const command = [...(container.command ?? []), ...(container.args ?? [])];
      for (const [flag, value] of Object.entries(AUTOSCALER_ARGS)) assert.ok(command.includes(`--${flag}=${value}`), `--${flag}=${value} in ${command.join(" ")}`);
    });

    it("keys its Datadog check by a container of its pod, on a port that container serves", () => {
      const keys = Object.keys(pod.metadata.annotations ?? {}).flatMap((k) => /^ad\.datadoghq\.com\/(.+)\.checks$/.exec(k)?.[1] ?? []);
      assert.deepEqual(keys, [CLUSTER_AUTOSCALER_CONTAINER]);
      const check = JSON.parse((pod.metadata.annotations ?? {})[`ad.datadoghq.com/${CLUSTER_AUTOSCALER_CONTAINER}.checks`]) as { kubernetes_cluster_autoscaler: { instances: { prometheus_url: string }[] } };
      const port = Number(/:(\d+)\//.exec(check.kubernetes_cluster_autoscaler.instances[0].prometheus_url)?.[1]);
      const container = pod.spec.containers.find((c) => c.name === CLUSTER_AUTOSCALER_CONTAINER);
      assert.ok((container?.ports ?? []).some((p) => p.containerPort === port), `port ${port}`);
    });
  });

  describe(`${env.config.name}: the Load Balancer Controller's release`, () => {
    const deployment = one(env.loadBalancerController, "Deployment", LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT.name) as Workload;
    const args = deployment.spec.template.spec.containers.flatMap((c) => [...(c.command ?? []), ...(c.args ?? [])]);

    it("runs as the account its IRSA role trusts, annotated with that role", () => {
      assert.equal(deployment.metadata.namespace, LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT.namespace);
      assert.equal(deployment.spec.template.spec.serviceAccountName, LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT.name);
      assert.match(roleArn(one(env.loadBalancerController, "ServiceAccount", LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT.name)) ?? "", /load-balancer-controller-role/);
    });

    it("serves the IngressClass the Airflow Ingress names, with TLS 1.2+ by default and its VPC given", () => {
      const ingressClass = one(env.loadBalancerController, "IngressClass", ALB_INGRESS_CLASS) as Manifest & { spec: { controller: string } };
      assert.equal(ingressClass.spec.controller, "ingress.k8s.aws/alb");
      assert.ok(args.includes(`--ingress-class=${ALB_INGRESS_CLASS}`), args.join(" "));
      assert.ok(args.includes(`--default-ssl-policy=${ALB_SSL_POLICY}`), args.join(" "));
      assert.ok(args.some((a) => a.startsWith("--aws-vpc-id=") && a.length > "--aws-vpc-id=".length), args.join(" "));
    });

    it("installs no Service mutating webhook (it would make every Service of type LoadBalancer its own, and block Services while it is down)", () => {
      const webhooks = env.loadBalancerController
        .filter((o) => o.kind === "MutatingWebhookConfiguration")
        .flatMap((o) => ((o as Manifest & { webhooks?: { name: string }[] }).webhooks ?? []).map((w) => w.name));
      assert.ok(webhooks.includes("mpod.elbv2.k8s.aws"), webhooks.join(", "));
      assert.ok(!webhooks.includes("mservice.elbv2.k8s.aws"), webhooks.join(", "));
    });
  });
}

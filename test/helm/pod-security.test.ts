import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { POD_SECURITY_EXCEPTIONS } from "../../constructs/kubernetes/pod-security";
import { loadEnvironments } from "../../environments";
import { networkPoliciesFor } from "../../configuration/derived/network-policies";
import type { Manifest } from "../support/helm";
import { platformManifests } from "../support/platform-manifests";
import { baselineViolations, podSpecOf, restrictedViolations } from "../support/pod-security-profile";
import { customResourceProblems } from "../support/crd-schemas";
import { venvProgram } from "../support/python";
import { tempDir } from "../support/temp";

// Pod Security Admission on every namespace the platform installs into, every pod checked against
// its namespace's level; and every object the releases render, validated against Kubernetes 1.35's
// own schemas by kubernetes-validate.

const environments = platformManifests(loadEnvironments(undefined));
const LEVEL = "pod-security.kubernetes.io/enforce";

for (const env of environments) {
  const { config } = env;
  /** Each namespace's enforced level, from the Namespace objects the stack makes and its label on kube-system. */
  const levels = new Map<string, string>();
  for (const ns of env.synthesized.filter((m) => m.kind === "Namespace")) levels.set(ns.metadata.name, ((ns.metadata as { labels?: Record<string, string> }).labels ?? {})[LEVEL]);
  for (const labels of Object.values(env.platformStack.resource.kubernetes_labels ?? {})) {
    levels.set((labels.metadata as { name: string }).name, (labels.labels as Record<string, string>)[LEVEL]);
  }
  const pods = [...env.all, env.taskPodTemplate].flatMap((m) => {
    const pod = podSpecOf(m as Record<string, unknown>);
    return pod ? [{ id: `${m.metadata.namespace}/${m.kind}/${m.metadata.name}`, namespace: m.metadata.namespace ?? "", ...pod }] : [];
  });

  describe(`${config.name}: Pod Security`, () => {
    it("labels every namespace anything is installed into, restricted for Airflow's and the tasks'", () => {
      const used = new Set([...env.all, env.taskPodTemplate].map((m) => m.metadata.namespace).filter((n): n is string => n !== undefined));
      used.add("kube-system");
      for (const ns of used) assert.ok(["restricted", "baseline", "privileged"].includes(levels.get(ns) ?? ""), `namespace ${ns} has no ${LEVEL} label`);
      assert.equal(levels.get(config.airflow.namespace), "restricted");
      assert.equal(levels.get(config.airflow.taskNamespace), "restricted");
    });

    it("finds every pod: the Airflow components and jobs, the bootstrap Job, the task pod template, the Datadog agents, the autoscaler and the load balancer controller", () => {
      const ids = pods.map((p) => p.id);
      for (const expected of ["Deployment/airflow-scheduler", "Deployment/airflow-pgbouncer", "Job/airflow-run-airflow-migrations", "Pod/placeholder-name", "DaemonSet/datadog", "kube-system/Deployment/cluster-autoscaler", "kube-system/Deployment/aws-load-balancer-controller"]) assert.ok(ids.some((id) => id.endsWith(expected)), expected);
      assert.ok(ids.some((id) => id.includes("/Job/airflow-db-bootstrap-")));
    });

    it("passes restricted with every pod but the listed exceptions, each admitted by its namespace's level", () => {
      const failing: Record<string, string[]> = {};
      for (const pod of pods) {
        const violations = restrictedViolations(pod.spec, pod.annotations);
        if (violations.length > 0) failing[pod.id] = violations;
      }
      assert.deepEqual(Object.keys(failing).sort(), Object.keys(POD_SECURITY_EXCEPTIONS).sort(), JSON.stringify(failing, null, 1));
      for (const pod of pods.filter((p) => p.id in POD_SECURITY_EXCEPTIONS)) {
        const level = levels.get(pod.namespace);
        assert.ok(level === "privileged" || (level === "baseline" && baselineViolations(pod.spec, pod.annotations).length === 0), `${pod.id} is not admitted at ${level}`);
      }
    });
  });

  describe(`${config.name}: Kubernetes 1.35's schemas`, () => {
    it("accept every object the releases render, the task pod template and the NetworkPolicies (kubernetes-validate, strict; custom resources against the CRDs rendered with them)", () => {
      const program = venvProgram("tools", "kubernetes-validate");
      const dir = tempDir("kubernetes-validate");
      const objects: Manifest[] = [...env.airflow, ...env.datadog, ...env.autoscaler, ...env.loadBalancerController, env.taskPodTemplate, ...(networkPoliciesFor(config) as unknown as Manifest[])];
      const files = objects.map((o, i) => {
        const file = join(dir, `${i}.yaml`);
        // JSON, a subset of YAML: the yaml package writes the string "True" bare, which YAML 1.1 (PyYAML) reads as a boolean.
        writeFileSync(file, JSON.stringify(o));
        return file;
      });
      let output = "";
      try {
        output = execFileSync(program, ["-k", "1.35.0", "--strict", "--quiet", ...files], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
      } catch (error) {
        output = String((error as { stdout?: string }).stdout ?? error);
      }
      const errors = output.split("\n").filter((line) => line.startsWith("ERROR"));
      assert.ok(objects.length > 40, String(objects.length));
      assert.deepEqual(errors, [], `${errors.length} of ${objects.length} objects fail`);
      // kubernetes-validate only warns on a kind it has no schema for: those are checked here.
      const unknownKinds = [...output.matchAll(/Couldn't find schema for kind (\S+) with api version (\S+)/g)].map(([, kind, apiVersion]) => ({ apiVersion, kind }));
      const distinct = [...new Map(unknownKinds.map((k) => [`${k.apiVersion} ${k.kind}`, k])).values()];
      assert.ok(distinct.some((k) => k.kind === "IngressClassParams"), `the controller's IngressClassParams is rendered and unknown to Kubernetes: ${JSON.stringify(distinct)}`);
      assert.deepEqual(customResourceProblems(objects, distinct), []);
    });
  });
}

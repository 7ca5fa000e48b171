import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { before, describe, it } from "node:test";
import { loadEnvironments } from "../../environments";
import { countCheckov, checkovTable, type CheckovArtefact, type CheckovCount } from "../../tools/policy/checkov/checkov-summary";
import { writeEnvironmentArtefacts } from "../../tools/policy/checkov/environment-artefacts";
import { renderReleases } from "../../tools/policy/checkov/render-releases";
import { CHECKOV_ARGUMENTS, runCheckov, type CheckovResult } from "../../tools/policy/checkov/run-checkov";
import { PLATFORM_WAIVERS } from "../../tools/policy/waivers";
import { cachedPlan } from "../support/plan-cache";
import { synthesize } from "../support/synth";
import { tempDir } from "../support/temp";

// checkov 3.3.30 (the tools venv) on what the platform really sends: each environment's offline
// infrastructure plan, its synthesized platform, observability and account-bootstrap stacks, and
// the manifests Helm 3.17.2 renders for its releases. One checkov run over all of them, cached
// under test/.work by the hash of what it read; a planted privileged pod shows the scan bites.

const environments = loadEnvironments(undefined);
const PLANTED = `apiVersion: v1
kind: Pod
metadata:
  name: planted-privileged
  namespace: airflow-tasks
spec:
  hostNetwork: true
  containers:
    - name: planted
      image: busybox:1.36
      securityContext:
        privileged: true
`;

/** Every file under a directory, for the cache key. */
function filesOf(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .map((f) => join(dir, f))
    .filter((f) => statSync(f).isFile())
    .sort();
}

/** runCheckov, or its answer for exactly these inputs from an earlier run. */
function cachedCheckov(dir: string): { results: CheckovResult[]; cached: boolean } {
  const hash = createHash("sha256").update(`checkov 3.3.30 ${CHECKOV_ARGUMENTS.join(" ")}`);
  // Helm generates some values afresh on every render (the cluster agent's token, install ids,
  // their checksums, the Load Balancer Controller's webhook certificate and key); no check reads
  // them, so they are left out of the key.
  const fresh = /^(\s*)(token|install_id|install_time|checksum\/[\w.-]+|tls\.crt|tls\.key|ca\.crt|caBundle):.*$/gm;
  for (const file of filesOf(dir)) hash.update(file.slice(dir.length)).update(readFileSync(file, "utf8").replace(fresh, "$1$2: X"));
  const cache = resolve(__dirname, "..", ".work", "checkov", `${hash.digest("hex").slice(0, 32)}.json`);
  if (existsSync(cache)) return { results: JSON.parse(readFileSync(cache, "utf8")) as CheckovResult[], cached: true };
  const results = runCheckov(dir);
  mkdirSync(resolve(cache, ".."), { recursive: true });
  writeFileSync(cache, JSON.stringify(results));
  return { results, cached: false };
}

describe("checkov on every plan, stack and rendered release", () => {
  const countsByEnvironment = new Map<string, CheckovCount[]>();
  let planted: CheckovCount | undefined;

  before(() => {
    const root = tempDir("checkov");
    const synthesized = synthesize(environments);
    const started = process.hrtime.bigint();
    const artefacts = new Map<string, CheckovArtefact[]>();
    for (const config of environments) {
      const infrastructurePlan = cachedPlan(synthesized.stackDir(`${config.name}-infrastructure`));
      artefacts.set(config.name, writeEnvironmentArtefacts(root, { config, stackDir: synthesized.stackDir, infrastructurePlan, releases: renderReleases(config, synthesized.stackDir) }));
    }
    mkdirSync(join(root, "fixture"));
    writeFileSync(join(root, "fixture", "planted.yaml"), PLANTED);
    const prepared = process.hrtime.bigint();
    const { results, cached } = cachedCheckov(root);
    const done = process.hrtime.bigint();
    for (const config of environments) countsByEnvironment.set(config.name, countCheckov(artefacts.get(config.name) ?? [], results, [...PLATFORM_WAIVERS, ...config.policyWaivers]));
    [planted] = countCheckov([{ name: "planted", kind: "release", path: "fixture/planted.yaml" }], results, PLATFORM_WAIVERS);
    const seconds = (a: bigint, b: bigint) => (Number(b - a) / 1e9).toFixed(1);
    console.log(`checkov: artefacts ${seconds(started, prepared)} s, scan ${seconds(prepared, done)} s${cached ? " (cached)" : ""}, ${results.length} checks`);
    for (const [name, counts] of countsByEnvironment) console.log(checkovTable(name, counts));
  });

  it("reads every environment's infrastructure plan, its other stacks and its rendered releases", () => {
    for (const [name, counts] of countsByEnvironment) {
      // checkov has no checks for Datadog's provider: the observability stack is read, and passes nothing.
      for (const count of counts.filter((c) => !c.artefact.name.endsWith("-observability"))) {
        assert.ok(count.passed + count.failed + count.waived > 0, `checkov checked something in ${name}'s ${count.artefact.name}`);
      }
      assert.deepEqual(counts.filter((c) => c.artefact.kind === "release").map((c) => c.artefact.name), ["airflow", "datadog", "cluster-autoscaler", "aws-load-balancer-controller"]);
      assert.ok(counts.some((c) => c.artefact.path.endsWith("-infrastructure.tfplan.json")), `${name}: the plan, not the synthesized stack`);
    }
  });

  it("leaves no unwaived failure in staging or prod", () => {
    for (const config of environments.filter((e) => e.stage !== "dev")) {
      const unwaived = (countsByEnvironment.get(config.name) ?? []).flatMap((c) => c.failures.filter((f) => f.waived === undefined));
      assert.deepEqual(unwaived.map((f) => `${f.checkId} ${f.resource}: ${f.checkName}`), [], config.name);
    }
  });

  it("has no checkov waiver that waives nothing", () => {
    const used = new Set([...countsByEnvironment.values()].flat().flatMap((c) => c.failures).flatMap((f) => (f.waived ? [f.waived] : [])));
    const stale = PLATFORM_WAIVERS.filter((w) => /^CKV/.test(w.rule) && !used.has(w));
    assert.deepEqual(stale.map((w) => `${w.rule} ${w.resource ?? ""}`), []);
  });

  it("fails a planted privileged host-network pod, which no waiver covers", () => {
    assert.ok(planted);
    const failed = planted.failures.filter((f) => f.waived === undefined).map((f) => f.checkId);
    assert.ok(failed.includes("CKV_K8S_16"), `privileged: ${failed.join(", ")}`);
    assert.ok(failed.includes("CKV_K8S_19"), `host network: ${failed.join(", ")}`);
  });
});

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { describe, it } from "node:test";
import { runCli } from "../../cli/main";
import { loadEnvironments, validateEnvironment } from "../../environments";
import { comparePromotion, releaseManifest } from "../../tools/promotion/promotion";
import { shippedWith } from "../support/environments";

const [staging, prod] = loadEnvironments("staging,prod");

function configOf(input: unknown) {
  const result = validateEnvironment(input);
  assert.ok(result.ok, JSON.stringify(result));
  return result.config;
}

describe("promotion", () => {
  it("lets the shipped environments promote, each from the one before it in promotion order", () => {
    const order = loadEnvironments(undefined);
    assert.ok(order.length >= 2, "at least two environments to promote between");
    for (const [source, target] of order.slice(1).map((target, i) => [order[i], target] as const)) {
      const differences = comparePromotion(source, target);
      assert.ok(differences.length > 0, "they do differ, in sizes and names");
      assert.deepEqual(differences.filter((d) => !d.allowed), [], `${source.name} → ${target.name}`);
    }
  });

  it("pins every version an environment runs in its manifest", () => {
    const manifest = releaseManifest(prod);
    assert.equal(manifest["versions.eks"], "1.35");
    assert.equal(manifest["versions.airflowChart"], "1.19.0");
    assert.equal(manifest["versions.airflow"], "3.1.8");
    assert.equal(manifest["versions.postgres"], "17.9");
    assert.equal(manifest["versions.eksAddons.coredns"], "v1.14.3-eksbuild.3");
    assert.equal(manifest["versions.packages.@cdktf/provider-aws"], "20.1.0");
  });

  it("refuses a prod that runs an EKS version staging has not run", () => {
    const newer = configOf(shippedWith("prod", { cluster: { version: "1.36" } }));
    const blocked = comparePromotion(staging, newer).filter((d) => !d.allowed).map((d) => d.path);
    assert.ok(blocked.includes("versions.eks"));
    assert.ok(blocked.includes("versions.eksAddons.kube-proxy"));
  });

  it("lets prod rotate Airflow's database password without staging doing the same", () => {
    const rotated = configOf(shippedWith("prod", { database: { airflowPasswordGeneration: 3 } }));
    const differences = comparePromotion(staging, rotated).filter((d) => d.path === "env.database.airflowPasswordGeneration");
    assert.deepEqual(differences.map((d) => [d.allowed]), [[true]]);
  });

  it("refuses a different database engine or Airflow configuration", () => {
    const changed = configOf(shippedWith("prod", { database: { engineVersion: "17.10" }, airflow: { chartValueOverrides: { config: { core: { dagbag_import_timeout: "120" } } } } }));
    const blocked = comparePromotion(staging, changed).filter((d) => !d.allowed).map((d) => d.path);
    assert.ok(blocked.includes("versions.postgres"));
    assert.ok(blocked.includes("airflow.config.core.dagbag_import_timeout"));
  });

  it("treats Airflow's image tag as a version and its repository as each environment's own", () => {
    const repository = comparePromotion(staging, prod).filter((d) => d.path.startsWith("airflow.images.airflow"));
    assert.deepEqual(repository.map((d) => [d.path, d.allowed]), [["airflow.images.airflow.repository", true]], "the same tag, each environment's own ECR");
    assert.equal(releaseManifest(prod)["airflow.images.airflow.tag"], releaseManifest(staging)["airflow.images.airflow.tag"]);
    const teamImage = configOf(shippedWith("prod", { airflow: { image: { source: "prebuilt", repository: "registry.internal/data/airflow", tag: "3.1.8-team-7" } } }));
    const differences = comparePromotion(staging, teamImage).filter((d) => d.path.includes("image"));
    const verdicts = Object.fromEntries(differences.map((d) => [d.path, d.allowed]));
    assert.equal(verdicts["airflow.images.airflow.tag"], false, "an image staging has not run");
    assert.equal(verdicts["env.airflow.image.source"], false);
    assert.equal(verdicts["airflow.images.airflow.repository"], true);
    assert.equal(verdicts["env.airflow.image.repository"], true);
  });

  it("lets a task pool's size differ but not whether it exists", () => {
    const bigger = configOf(shippedWith("prod", { nodeGroups: { taskPools: { memory: { maxSize: 8, instanceTypes: ["r6i.4xlarge"] } } } }));
    assert.deepEqual(comparePromotion(staging, bigger).filter((d) => d.path.startsWith("env.nodeGroups.taskPools") && !d.allowed), []);
    const extra = configOf(shippedWith("prod", { nodeGroups: { taskPools: { spot: { instanceTypes: ["m6i.2xlarge"], capacityType: "SPOT", maxSize: 10 } } } }));
    const blocked = comparePromotion(staging, extra).filter((d) => !d.allowed).map((d) => d.path);
    assert.ok(blocked.includes("env.nodeGroups.taskPools.spot.capacityType"), "a pool staging lacks is not promoted silently");
  });

  it("has a CLI that prints the table and fails on usage errors", () => {
    const script = resolve(__dirname, "../../scripts/promote-check.ts");
    const [source, target] = loadEnvironments(undefined).slice(-2).map((e) => e.name);
    const ok = spawnSync(process.execPath, ["--import", "tsx", script, source, target], { encoding: "utf8" });
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(ok.stdout, new RegExp(`Promotion ${source} → ${target}: \\d+ differences, 0 not allowed`));
    assert.match(ok.stdout, new RegExp(`env\\.name\\s+${source}\\s+${target}\\s+allowed`));
    const usage = spawnSync(process.execPath, ["--import", "tsx", script, source], { encoding: "utf8" });
    assert.equal(usage.status, 2);
  });
});

describe("promote-check's table", () => {
  it("shows whole values: two ARNs that differ only after the 24th character are both printed in full", async () => {
    const base = "arn:aws:iam::222222222222:role/airflow-platform-plan";
    const environments = {
      staging: shippedWith("staging", {}),
      rehearsal: shippedWith("staging", { name: "rehearsal", example: "rehearsal", ci: { planRoleArn: `${base}-rehearsal` } }),
    };
    const out: string[] = [];
    const io = { stdout: (s: string) => void out.push(s), stderr: (s: string) => void out.push(s) };
    assert.equal(await runCli(["promote-check", "staging", "rehearsal"], { environments, io }), 0, out.join(""));
    const row = out.join("").split("\n").find((line) => line.trim().startsWith("env.ci.planRoleArn"));
    assert.ok(row, out.join(""));
    assert.ok(row.includes(`${base} `) && row.includes(`${base}-rehearsal`), row);
  });
});

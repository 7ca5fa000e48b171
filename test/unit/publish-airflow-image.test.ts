import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, it } from "node:test";
import { runCli } from "../../cli/main";
import { SHIPPED_ENVIRONMENTS } from "../../environments";
import type { EnvironmentModule } from "../../tools/common/command-io";
import { shippedWith } from "../support/environments";
import { tempDir } from "../support/temp";

// scripts/publish-airflow-image.sh, the pipeline's image job, run by bash with the AWS CLI, Docker
// and npm stood in: npm answers what `npm run airflow-image` prints for the environment (computed
// here by the real command), aws answers as ECR would, docker records what it is asked.

const SCRIPT = resolve(__dirname, "../../scripts/publish-airflow-image.sh");
const WHAT = ["dockerfile", "tag", "repository", "reference", "source"] as const;

/** What the real `airflow-image` command prints of an environment, for the stand-in npm. */
async function printed(environments: EnvironmentModule, name: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const what of WHAT) {
    let text = "";
    const code = await runCli(["airflow-image", what, name], { environments, io: { stdout: (t) => (text += t), stderr: () => undefined } });
    if (code === 0) out[what] = text;
  }
  return out;
}

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Every stand-in call, `tool args…`, in order. */
  readonly calls: string[];
  /** What `docker build` read on stdin. */
  readonly built?: string;
}

/** Runs the script for `name` with ECR answering `describeImages` (exit code and output). */
async function publish(environments: EnvironmentModule, name: string, describeImages: { status: number; output: string }): Promise<Run> {
  const dir = tempDir("publish-image");
  const bin = join(dir, "bin");
  const answers = join(dir, "answers");
  mkdirSync(bin);
  mkdirSync(answers);
  for (const [what, text] of Object.entries(await printed(environments, name))) writeFileSync(join(answers, what), text);
  const log = join(dir, "calls");
  const record = `printf '%s\\n' "$(basename "$0") $*" >> "${log}"`;
  // npm run --silent airflow-image -- <what> <env>
  writeFileSync(join(bin, "npm"), `#!/bin/bash\n${record}\n[ "$1 $2 $3 $4 $6" = "run --silent airflow-image -- ${name}" ] || exit 9\ncat "${answers}/$5" || exit 1\n`, { mode: 0o755 });
  writeFileSync(
    join(bin, "aws"),
    `#!/bin/bash\n${record}\ncase "$2" in describe-images) printf '%s' ${JSON.stringify(describeImages.output)}; exit ${describeImages.status};; get-login-password) echo not-a-real-password;; esac\n`,
    { mode: 0o755 },
  );
  writeFileSync(join(bin, "docker"), `#!/bin/bash\n${record}\ncase "$1" in build) cat > "${dir}/built";; login) cat > /dev/null;; esac\n`, { mode: 0o755 });
  const result = spawnSync("bash", [SCRIPT, name], { encoding: "utf8", env: { PATH: `${bin}:/usr/bin:/bin` } });
  const calls = existsSync(log) ? readFileSync(log, "utf8").trim().split("\n") : [];
  const built = existsSync(join(dir, "built")) ? readFileSync(join(dir, "built"), "utf8") : undefined;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, calls, built };
}

const NOT_FOUND = { status: 254, output: "An error occurred (ImageNotFoundException) when calling the DescribeImages operation: The image with imageId {imageTag:'x'} does not exist" };

describe("the pipeline's image job (scripts/publish-airflow-image.sh)", () => {
  it("builds the Dockerfile the code prints and pushes it to the environment's ECR when the tag is not there", async () => {
    const expected = await printed(SHIPPED_ENVIRONMENTS, "staging");
    const run = await publish(SHIPPED_ENVIRONMENTS, "staging", NOT_FOUND);
    assert.equal(run.status, 0, run.stderr);
    const repository = expected.repository.trim();
    const image = `${repository}:${expected.tag.trim()}`;
    const registry = "222222222222.dkr.ecr.eu-west-1.amazonaws.com";
    assert.ok(repository.startsWith(`${registry}/`), repository);
    const external = run.calls.filter((c) => !c.startsWith("npm "));
    // The password and the login are the two ends of one pipe: they start in either order.
    const login = external.slice(1, 3).sort();
    assert.deepEqual([external[0], ...login, ...external.slice(3)], [
      `aws ecr describe-images --region eu-west-1 --repository-name airflow-staging/airflow --image-ids imageTag=${expected.tag.trim()} --query imageDetails[0].imageDigest --output text`,
      "aws ecr get-login-password --region eu-west-1",
      `docker login --username AWS --password-stdin ${registry}`,
      `docker build --pull --tag ${image} -`,
      `docker push ${image}`,
    ]);
    assert.equal(run.built, expected.dockerfile, "docker built exactly the Dockerfile the code prints");
  });

  it("builds nothing when ECR has the tag already (tags are immutable: the tag is this image)", async () => {
    const run = await publish(SHIPPED_ENVIRONMENTS, "dev", { status: 0, output: "sha256:0123" });
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(run.calls.filter((c) => c.startsWith("docker ")), []);
    assert.match(run.stdout, /is in ECR already \(sha256:0123\): nothing to build/);
  });

  it("fails, building nothing, when ECR cannot be asked (access denied is not a missing image)", async () => {
    const run = await publish(SHIPPED_ENVIRONMENTS, "prod", { status: 254, output: "An error occurred (AccessDeniedException) when calling the DescribeImages operation" });
    assert.notEqual(run.status, 0);
    assert.match(run.stderr, /looking for .*airflow-prod\/airflow:.* in ECR failed: .*AccessDeniedException/);
    assert.deepEqual(run.calls.filter((c) => c.startsWith("docker ")), []);
  });

  it("does nothing for an environment that runs a prebuilt image", async () => {
    const environments = { dev: shippedWith("dev", { airflow: { image: { source: "prebuilt", repository: "registry.example.com/data/airflow", tag: "3.1.8-team-7" } } }) };
    const run = await publish(environments, "dev", NOT_FOUND);
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(run.calls.filter((c) => !c.startsWith("npm ")), []);
    assert.match(run.stdout, /dev runs a prebuilt Airflow image \(registry\.example\.com\/data\/airflow:3\.1\.8-team-7\): nothing to build/);
  });
});

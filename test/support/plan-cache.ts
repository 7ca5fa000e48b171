import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { AWS_PROVIDER_VERSION, OFFLINE_OVERRIDE } from "../../tools/plan/offline-plan";
import { planOffline, type TerraformPlan } from "./terraform";

// The offline plan's JSON, kept under test/.work by the hash of what it was made from: the
// synthesized stack, the offline override and the provider version. The same stack is planned
// once, whichever test file asks first; a changed stack is a new key.

const CACHE = resolve(__dirname, "..", ".work", "plans");

export function planKey(stackDir: string): string {
  const hash = createHash("sha256");
  hash.update(readFileSync(join(stackDir, "cdk.tf.json")));
  hash.update(JSON.stringify(OFFLINE_OVERRIDE));
  hash.update(AWS_PROVIDER_VERSION);
  return hash.digest("hex").slice(0, 32);
}

/** `terraform show -json` of the stack's offline plan, from the cache when the stack is unchanged. */
export function cachedPlan(stackDir: string): TerraformPlan {
  const file = join(CACHE, `${planKey(stackDir)}.json`);
  if (existsSync(file)) return JSON.parse(readFileSync(file, "utf8")) as TerraformPlan;
  const { plan } = planOffline(stackDir);
  rememberPlan(stackDir, plan);
  return plan;
}

/** Keeps a plan a test made anyway, for the next file that asks for the same stack. */
export function rememberPlan(stackDir: string, plan: TerraformPlan): void {
  const file = join(CACHE, `${planKey(stackDir)}.json`);
  mkdirSync(CACHE, { recursive: true });
  // Written aside then renamed: a parallel test process never reads half a file.
  const partial = `${file}.${process.pid}.partial`;
  writeFileSync(partial, JSON.stringify(plan));
  renameSync(partial, file);
}

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { App } from "../../constructs/core";
import type { EnvironmentConfig } from "../../configuration/schema/environment-config";
import { accountBootstrapStacks } from "../../stacks/account-bootstrap-stack";
import { AirflowPlatform } from "../../stacks/airflow-platform";
import { tempDir } from "./temp";

/** A synthesized cdk.tf.json, typed only as far as the tests read it. */
export interface StackJson {
  readonly resource: Record<string, Record<string, Record<string, unknown>>>;
  readonly terraform: { readonly backend: Record<string, Record<string, unknown>> };
  readonly provider: Record<string, Record<string, unknown>[]>;
  readonly output?: Record<string, Record<string, unknown>>;
  readonly data?: Record<string, Record<string, Record<string, unknown>>>;
}

export interface Synthesized {
  readonly outdir: string;
  readonly app: App;
  readonly platforms: readonly AirflowPlatform[];
  stackDir(stackName: string): string;
  stackJson(stackName: string): StackJson;
}

/** Synthesizes environments in-process into a fresh temporary directory. */
export function synthesize(configs: readonly EnvironmentConfig[]): Synthesized {
  const outdir = tempDir("synth");
  const app = new App({ outdir });
  const platforms = configs.map((config) => new AirflowPlatform(app, config));
  accountBootstrapStacks(app, configs);
  app.synth();
  const stackDir = (stackName: string) => join(outdir, "stacks", stackName);
  return {
    outdir,
    app,
    platforms,
    stackDir,
    stackJson: (stackName) => JSON.parse(readFileSync(join(stackDir(stackName), "cdk.tf.json"), "utf8")) as StackJson,
  };
}

/** Every resource of one type in a synthesized stack, by logical id. */
export function resourcesOfType(stack: StackJson, type: string): [string, Record<string, unknown>][] {
  return Object.entries(stack.resource[type] ?? {});
}

/** The single resource of a type, failing loudly when there are none or several. */
export function onlyResource(stack: StackJson, type: string): Record<string, unknown> {
  const found = resourcesOfType(stack, type);
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return found[0][1];
}

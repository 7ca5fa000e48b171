import { App } from "../../constructs/core";
import { accessWarnings } from "../../configuration/derived/api-server-access";
import { validateEnvironments } from "../../configuration/validation/validate";
import { accountBootstrapStacks } from "../../stacks/account-bootstrap-stack";
import { AirflowPlatform } from "../../stacks/airflow-platform";

/**
 * Validates every environment, and only then creates the app (which creates its output directory)
 * and synthesizes: a bad environment leaves no partial cdktf.out behind. What an operator must
 * know about a valid environment (a UI reachable only by port-forward, a deprecated field) goes to `warn`.
 */
export function synthesizeEnvironments(inputs: readonly unknown[], outdir?: string, warn: (message: string) => void = () => undefined): App {
  const configs = validateEnvironments(inputs, warn);
  const app = new App(outdir === undefined ? {} : { outdir });
  for (const config of configs) new AirflowPlatform(app, config);
  accountBootstrapStacks(app, configs);
  app.synth();
  for (const message of configs.flatMap(accessWarnings)) warn(message);
  return app;
}

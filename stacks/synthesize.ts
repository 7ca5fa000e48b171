import { App } from "../constructs/core";
import { validateEnvironments } from "../environments/validate";
import { AirflowPlatform } from "./airflow-platform";

/**
 * Validates every environment, and only then creates the app (which creates its output directory)
 * and synthesizes: a bad environment leaves no partial cdktf.out behind.
 */
export function synthesizeEnvironments(inputs: readonly unknown[], outdir?: string): App {
  const configs = validateEnvironments(inputs);
  const app = new App(outdir === undefined ? {} : { outdir });
  for (const config of configs) new AirflowPlatform(app, config);
  app.synth();
  return app;
}

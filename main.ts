import { App } from "./constructs/core";
import { ConfigError } from "./constructs/config-error";
import { loadEnvironments } from "./environments";
import { AirflowPlatform } from "./stacks/airflow-platform";

// Validate every selected environment before creating a single construct, so a bad file
// leaves no partial cdktf.out behind.
function main(): void {
  let environments;
  try {
    environments = loadEnvironments(process.env.AIRFLOW_ENVIRONMENTS);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const app = new App();
  for (const config of environments) new AirflowPlatform(app, config);
  app.synth();
}

main();

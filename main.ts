import { ConfigError } from "./constructs/config-error";
import { selectEnvironments } from "./environments";
import { synthesizeEnvironments } from "./stacks/synthesize";

// The app cdktf runs (cdktf.json): every shipped environment, or those AIRFLOW_ENVIRONMENTS names.
try {
  synthesizeEnvironments(selectEnvironments(process.env.AIRFLOW_ENVIRONMENTS), undefined, (message) => process.stderr.write(`Warning: ${message}\n`));
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}

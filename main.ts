import { withConfigErrors, processIo } from "./tools/common/command-io";
import { synthEnvironments } from "./tools/synth/synth-verb";
import { SHIPPED_ENVIRONMENTS } from "./environments";

// The app cdktf runs (cdktf.json) and `npm run synth`: every shipped environment, or those
// AIRFLOW_ENVIRONMENTS names; the same code as the shipped command's `synth`.
void withConfigErrors(processIo, () => synthEnvironments(SHIPPED_ENVIRONMENTS, { selection: process.env.AIRFLOW_ENVIRONMENTS, selectionSource: "AIRFLOW_ENVIRONMENTS" }, processIo)).then((code) => {
  process.exitCode = code;
});

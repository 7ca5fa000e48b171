// The team's cdktf app (cdktf.json): their environments, or those AIRFLOW_ENVIRONMENTS names,
// synthesized with the package's own summary and error report.
import { processIo, synthEnvironments, withConfigErrors } from "airflow-platform";
import { environments } from "./environments";

void withConfigErrors(processIo, () => synthEnvironments(environments, { selection: process.env.AIRFLOW_ENVIRONMENTS, selectionSource: "AIRFLOW_ENVIRONMENTS" }, processIo)).then((code) => {
  process.exitCode = code;
});

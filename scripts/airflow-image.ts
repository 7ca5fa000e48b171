// npm run --silent airflow-image -- <dockerfile|tag|repository|reference|source> <env>: the shipped
// command's `airflow-image` on the shipped environments (the pipeline's image job calls it).
import { runCli } from "../cli/main";
import { SHIPPED_ENVIRONMENTS } from "../environments";

void runCli(["airflow-image", ...process.argv.slice(2)], { environments: SHIPPED_ENVIRONMENTS }).then((code) => {
  process.exitCode = code;
});

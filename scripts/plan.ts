// npm run plan -- <env> [stack] [--real]: the shipped command's `plan` on the shipped environments.
import { runCli } from "../cli/main";
import { SHIPPED_ENVIRONMENTS } from "../environments";

void runCli(["plan", ...process.argv.slice(2)], { environments: SHIPPED_ENVIRONMENTS }).then((code) => {
  process.exitCode = code;
});

// npm run policy [-- <env>[,<env>]]: the shipped command's `policy` on the shipped environments.
import { runCli } from "../cli/main";
import { SHIPPED_ENVIRONMENTS } from "../environments";

void runCli(["policy", ...process.argv.slice(2)], { environments: SHIPPED_ENVIRONMENTS }).then((code) => {
  process.exitCode = code;
});

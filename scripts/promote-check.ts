// npm run promote:check -- <source> <target>: the shipped command's `promote-check` on the shipped environments.
import { runCli } from "../cli/main";
import { SHIPPED_ENVIRONMENTS } from "../environments";

void runCli(["promote-check", ...process.argv.slice(2)], { environments: SHIPPED_ENVIRONMENTS }).then((code) => {
  process.exitCode = code;
});

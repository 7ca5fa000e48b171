// npm run capacity -- <env> [options]: the shipped command's `capacity` on the shipped environments
// (tools/capacity/capacity-verb.ts says what it prints and takes).
import { runCli } from "../cli/main";
import { SHIPPED_ENVIRONMENTS } from "../environments";

void runCli(["capacity", ...process.argv.slice(2)], { environments: SHIPPED_ENVIRONMENTS }).then((code) => {
  process.exitCode = code;
});

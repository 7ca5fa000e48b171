// npm run workflow [-- --check]: writes .github/workflows/platform.yml from the shipped environments
// in promotion order (the shipped command's `workflow`); --check exits 1 when the file is stale.
import { join } from "node:path";
import { runCli } from "../cli/main";
import { SHIPPED_ENVIRONMENTS } from "../environments";
import { WORKFLOW_PATH } from "../tools/workflow/platform-workflow";

const file = join(__dirname, "..", WORKFLOW_PATH);
const flag = process.argv.includes("--check") ? "--check" : "--write";
void runCli(["workflow", flag, file], { environments: SHIPPED_ENVIRONMENTS }).then((code) => {
  process.exitCode = code;
});

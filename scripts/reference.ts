// npm run reference [-- --check]: writes docs/configuration.md and docs/environment.schema.json
// from the environment schema; --check exits 1 when the checked-in files are stale.
import { mkdirSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { configurationMarkdown, environmentJsonSchema, REFERENCE_FILES } from "../tools/reference/configuration-reference";

const root = join(__dirname, "..");
const wanted: [string, string][] = [
  [REFERENCE_FILES.markdown, configurationMarkdown()],
  [REFERENCE_FILES.jsonSchema, environmentJsonSchema()],
];
const check = process.argv.includes("--check");
let stale = 0;
for (const [file, text] of wanted) {
  const path = join(root, file);
  const current = existsSync(path) ? readFileSync(path, "utf8") : undefined;
  if (current === text) continue;
  stale += 1;
  if (check) {
    process.stderr.write(`${file} is stale: run npm run reference\n`);
  } else {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
    process.stdout.write(`wrote ${file}\n`);
  }
}
if (check && stale > 0) process.exitCode = 1;

// npm run promote:check -- <source> <target>
// Prints every difference between two environments, marks which are allowed, and exits 1 when
// the target would run something the source has not (a version, the Airflow configuration).
import { ConfigError } from "../constructs/config-error";
import { loadEnvironments } from "../environments";
import { comparePromotion } from "../environments/promotion";

const [sourceName, targetName] = process.argv.slice(2);
if (!sourceName || !targetName) {
  process.stderr.write("usage: npm run promote:check -- <source> <target>   e.g. staging prod\n");
  process.exit(2);
}
try {
  const [source, target] = loadEnvironments(`${sourceName},${targetName}`);
  const differences = comparePromotion(source, target);
  const blocked = differences.filter((d) => !d.allowed);
  const width = Math.max(4, ...differences.map((d) => d.path.length));
  const show = (v: unknown) => (v === undefined ? "(absent)" : String(v));
  process.stdout.write(`Promotion ${sourceName} → ${targetName}: ${differences.length} differences, ${blocked.length} not allowed\n`);
  process.stdout.write(`  ${"path".padEnd(width)}  ${sourceName.padEnd(24)}  ${targetName.padEnd(24)}  verdict\n`);
  for (const d of differences) {
    process.stdout.write(`  ${d.path.padEnd(width)}  ${show(d.source).slice(0, 24).padEnd(24)}  ${show(d.target).slice(0, 24).padEnd(24)}  ${d.allowed ? "allowed" : "NOT ALLOWED"}\n`);
  }
  if (blocked.length > 0) {
    process.stderr.write(`${targetName} would run ${blocked.length} thing(s) ${sourceName} has not run: promote them through ${sourceName} first.\n`);
    process.exit(1);
  }
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}

import { comparePromotion } from "./promotion";
import { validateEnvironments } from "../../configuration/validation/validate";
import type { CommandIo, EnvironmentModule } from "../common/command-io";
import { selectFrom } from "../common/environment-module";

/**
 * `promote-check <source> <target>`: every difference between two environments, each allowed or
 * not; exits 1 when the target would run something the source has not, 2 on a usage error.
 */
export function promoteCheckCommand(argv: readonly string[], environments: EnvironmentModule, io: CommandIo): number {
  const [sourceName, targetName] = argv;
  if (!sourceName || !targetName || argv.length > 2) {
    io.stderr("usage: promote-check <source> <target>   e.g. staging prod\n");
    return 2;
  }
  const [source, target] = validateEnvironments(selectFrom(environments, `${sourceName},${targetName}`, "environment selection"));
  const differences = comparePromotion(source, target);
  const blocked = differences.filter((d) => !d.allowed);
  const width = Math.max(4, ...differences.map((d) => d.path.length));
  const show = (v: unknown) => (v === undefined ? "(absent)" : String(v));
  io.stdout(`Promotion ${sourceName} → ${targetName}: ${differences.length} differences, ${blocked.length} not allowed\n`);
  io.stdout(`  ${"path".padEnd(width)}  ${sourceName.padEnd(24)}  ${targetName.padEnd(24)}  verdict\n`);
  for (const d of differences) {
    io.stdout(`  ${d.path.padEnd(width)}  ${show(d.source).slice(0, 24).padEnd(24)}  ${show(d.target).slice(0, 24).padEnd(24)}  ${d.allowed ? "allowed" : "NOT ALLOWED"}\n`);
  }
  if (blocked.length > 0) {
    io.stderr(`${targetName} would run ${blocked.length} thing(s) ${sourceName} has not run: promote them through ${sourceName} first.\n`);
    return 1;
  }
  return 0;
}

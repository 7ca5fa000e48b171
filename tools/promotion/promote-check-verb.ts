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
  // Whole values, never cut: two ARNs that differ only at the end must not look equal.
  const sourceWidth = Math.max(sourceName.length, ...differences.map((d) => show(d.source).length));
  const targetWidth = Math.max(targetName.length, ...differences.map((d) => show(d.target).length));
  io.stdout(`Promotion ${sourceName} → ${targetName}: ${differences.length} differences, ${blocked.length} not allowed\n`);
  io.stdout(`  ${"path".padEnd(width)}  ${sourceName.padEnd(sourceWidth)}  ${targetName.padEnd(targetWidth)}  verdict\n`);
  for (const d of differences) {
    io.stdout(`  ${d.path.padEnd(width)}  ${show(d.source).padEnd(sourceWidth)}  ${show(d.target).padEnd(targetWidth)}  ${d.allowed ? "allowed" : "NOT ALLOWED"}\n`);
  }
  if (blocked.length > 0) {
    io.stderr(`${targetName} would run ${blocked.length} thing(s) ${sourceName} has not run: promote them through ${sourceName} first.\n`);
    return 1;
  }
  return 0;
}

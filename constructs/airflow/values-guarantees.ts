import { type ConfigProblem } from "../../lib/config-error";

// What the values must keep true whatever `chartValueOverrides` merges over them, beyond what the
// chart's schema can say. Checked with the schema, before any construct exists.

/** The chart's components with a log-groomer sidecar (Celery workers aside), all on by default. */
const GROOMED_COMPONENTS = ["scheduler", "triggerer", "dagProcessor"] as const;

/**
 * Log-groomer processes the release would run: every enabled sidecar once per replica. They all
 * walk the one shared log volume, deleting on the same wall-clock schedule, so more than one
 * repeats the work and a second retention setting silently wins.
 */
export function logGroomerCount(values: Record<string, unknown>): number {
  return GROOMED_COMPONENTS.reduce((count, component) => {
    const section = (values[component] ?? {}) as { enabled?: unknown; replicas?: unknown; logGroomerSidecar?: { enabled?: unknown } };
    const running = section.enabled !== false && section.logGroomerSidecar?.enabled !== false;
    return count + (running ? Number(section.replicas ?? 1) : 0);
  }, 0);
}

/** Problems with the guarantees; none when the values keep them. */
export function chartGuaranteeProblems(environment: string, constructPath: string, values: Record<string, unknown>): ConfigProblem[] {
  const groomers = logGroomerCount(values);
  if (groomers <= 1) return [];
  return [
    {
      environment,
      constructPath,
      field: "airflow chart values: *.logGroomerSidecar",
      given: `${groomers} log groomers (${GROOMED_COMPONENTS.map((c) => `${c}: ${JSON.stringify((values[c] as { logGroomerSidecar?: unknown } | undefined)?.logGroomerSidecar ?? "chart default, on")}`).join(", ")})`,
      allowed: "one log groomer at most (the dag processor's, one replica): they all walk the shared log volume",
    },
  ];
}

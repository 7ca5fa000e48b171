// Fields of Airflow's REST API responses as numbers: date-times, TimeDeltas, durations.

/** Epoch milliseconds of an ISO date-time, or null. */
export function timeOf(value: unknown): number | null {
  if (typeof value !== "string") return null;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : null;
}

/** Seconds of an Airflow TimeDelta (`{ days, seconds, microseconds }`). */
export function secondsOf(value: unknown): number | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const d = value as { days?: unknown; seconds?: unknown; microseconds?: unknown };
  const n = (x: unknown) => (typeof x === "number" ? x : 0);
  return n(d.days) * 86400 + n(d.seconds) + n(d.microseconds) / 1e6;
}

/** `duration` when Airflow recorded it, else end − start, else null (never ran, or still running). */
export function durationOf(ti: Record<string, unknown>): number | null {
  if (typeof ti.duration === "number") return Math.max(0, ti.duration);
  if (typeof ti.start_date === "string" && typeof ti.end_date === "string") {
    const seconds = (Date.parse(ti.end_date) - Date.parse(ti.start_date)) / 1000;
    return Number.isFinite(seconds) ? Math.max(0, seconds) : null;
  }
  return null;
}

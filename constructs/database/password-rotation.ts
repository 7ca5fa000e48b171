// When RDS rotates the metadata database's master password. RDS's default is every 7 days at a
// time of its choosing; here it is a fixed weekly window, clear of the nightly run. Nothing that
// runs uses the master password (PgBouncer logs in as Airflow's own role); only the database
// bootstrap Job reads it, from the secret, each time it runs.

export const ROTATION_DAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] as const;
export type RotationDay = (typeof ROTATION_DAYS)[number];

export interface PasswordRotationWindow {
  readonly dayOfWeek: RotationDay;
  /** UTC hour the window opens, 0–23. */
  readonly startHourUtc: number;
  /** How long Secrets Manager may take to rotate, 1–24 hours (its `Duration`). */
  readonly hours: number;
}

/** Tuesday 14:00–16:00 UTC: daytime, clear of the nightly run. */
export const DEFAULT_PASSWORD_ROTATION: PasswordRotationWindow = { dayOfWeek: "tue", startHourUtc: 14, hours: 2 };

/** Secrets Manager's rotation rules for the window: `cron(0 14 ? * TUE *)` and `2h`. */
export function rotationRules(window: PasswordRotationWindow): { readonly scheduleExpression: string; readonly duration: string } {
  return {
    scheduleExpression: `cron(0 ${window.startHourUtc} ? * ${window.dayOfWeek.toUpperCase()} *)`,
    duration: `${window.hours}h`,
  };
}

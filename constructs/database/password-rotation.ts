// When RDS rotates the metadata database's master password. RDS's default is every 7 days at a
// time of its choosing; here it is a fixed weekly window, so that the rotation never lands in the
// nightly run and the refresh that hands PgBouncer the new password (`npm run refresh-credentials`,
// scheduled in CI) can be timed to follow it.

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

/** The UTC day and hour the window has closed by: when the refresh may run. */
export function rotationWindowEnd(window: PasswordRotationWindow): { readonly dayOfWeek: RotationDay; readonly hourUtc: number } {
  const end = window.startHourUtc + window.hours;
  const day = (ROTATION_DAYS.indexOf(window.dayOfWeek) + Math.floor(end / 24)) % 7;
  return { dayOfWeek: ROTATION_DAYS[day], hourUtc: end % 24 };
}

/** A five-field cron (as GitHub Actions' `schedule` takes) for the hour the window has closed. */
export function refreshCron(window: PasswordRotationWindow): string {
  const end = rotationWindowEnd(window);
  return `0 ${end.hourUtc} * * ${ROTATION_DAYS.indexOf(end.dayOfWeek)}`;
}

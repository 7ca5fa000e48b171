// Airflow's own PostgreSQL roles. One role owns the `airflow` database and everything in it and
// cannot log in; two login roles are members of it and act as it (`SET role` on each), and
// PgBouncer logs in as one of them at a time. Rotating Airflow's password hands PgBouncer the
// other login with a fresh password while the one in use keeps working, so no connection, pooled
// or new, ever meets a password the database has already forgotten.

/** Owns the metadata database and every object in it; no one logs in as it. */
export const AIRFLOW_OWNER_ROLE = "airflow_owner";

/** The two login roles, alternated on each rotation of Airflow's password. */
export const AIRFLOW_LOGIN_ROLES = ["airflow_blue", "airflow_green"] as const;
export type AirflowLoginRole = (typeof AIRFLOW_LOGIN_ROLES)[number];

/**
 * The login PgBouncer uses at a password generation (`database.airflowPasswordGeneration`):
 * even generations use `airflow_blue`, odd ones `airflow_green`.
 */
export function activeLoginRole(generation: number): AirflowLoginRole {
  return AIRFLOW_LOGIN_ROLES[generation % 2];
}

/**
 * The generation at which each login last got a new password: the keeper of its
 * `random_password`. Going from generation n to n + 1 renews only the login that becomes active;
 * the one PgBouncer still uses keeps its password until PgBouncer has moved off it.
 */
export function loginPasswordGenerations(generation: number): Readonly<Record<AirflowLoginRole, number>> {
  const active = activeLoginRole(generation);
  const previous = generation - 1;
  return active === "airflow_blue"
    ? { airflow_blue: generation, airflow_green: previous }
    : { airflow_blue: previous, airflow_green: generation };
}

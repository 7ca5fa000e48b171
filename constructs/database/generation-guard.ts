import { activeLoginRole } from "./airflow-roles";
import { sqlLiteral } from "./bootstrap-checks";

// Which changes of `database.airflowPasswordGeneration` the bootstrap Job carries out, and which
// it refuses before it changes anything: the safety net behind the plan-time check.
//
// Terraform replaces a login's random_password whenever its keeper changes, and a revert or a
// jump changes the keeper of the login PgBouncer is using (n → n − 1 renews it in state, n → n + 2
// too). The configuration alone cannot tell n − 1 after n from n − 1 after n − 2, but the
// platform stack's own state can: deployed-generation.ts records the generation after this Job
// and PgBouncer's Secrets were applied and refuses, at plan time, any change by more than one and
// n again after a failed apply replaced the in-use login's password in state. It lets through
// what it cannot see: a state with no record (a first deploy, or one an earlier version of the
// project wrote). Which login PgBouncer has moved to only the database knows, so here:
// - the Job sets the password of one login only, the one PgBouncer is to use at the requested
//   generation, and only when the database does not have it already;
// - it may set it only if PgBouncer is not using that login: the generation the Job last
//   deployed (recorded as a comment on the owner role) made the other login active, and the login
//   has no open connection (PgBouncer has moved off it; its Secret reaches the pod within about a
//   minute);
// - otherwise it refuses, before any change, naming the field, the environment, what was given
//   and what would be right.
// So n → n + 1 (a rotation) and n → n − 1 (a revert: the login PgBouncer moves to keeps its
// password) are carried out; a jump the plan did not catch, a return to n after a failed apply
// replaced the in-use login's password in state, and a rotation PgBouncer has not caught up with
// are refused. A refused run fails the apply before PgBouncer's config Secret and the plan-time
// record (both depend on the Job), so nothing that runs is touched and the next plan counts from n.

const RECORD_PREFIX = "airflow-platform password generation";

/** The comment the Job leaves on the owner role, read back by the next run. */
export function generationRecord(generation: number): string {
  return `${RECORD_PREFIX} ${generation}: PgBouncer logs in as ${activeLoginRole(generation)}`;
}

export interface GenerationGuardInput {
  readonly owner: string;
  readonly generation: number;
  /** For the message: the environment whose configuration holds the field. */
  readonly environment: string;
}

/** psql variable the shell script sets: `on` when the active login's password from state already logs in. */
export const ACTIVE_PASSWORD_CURRENT = "active_password_current";
const SETTING = "airflow_platform.active_password_current";

/**
 * Before any change: whether the Job may set the active login's password (see above). With no
 * record (a first run, or a database an earlier version of the project bootstrapped) it may.
 * Then `renew` says whether `\password` runs.
 */
export function generationGuard(input: GenerationGuardInput): string[] {
  if (!Number.isInteger(input.generation) || input.generation < 0) throw new Error(`not a password generation: ${input.generation}`);
  const field = "database.airflowPasswordGeneration";
  const active = activeLoginRole(input.generation);
  const where = `environment ${input.environment}`;
  const nothing = "Nothing was changed.";
  return [
    `SELECT set_config(${sqlLiteral(SETTING)}, :'${ACTIVE_PASSWORD_CURRENT}', false) \\gset ignored_`,
    "DO $$",
    "DECLARE",
    `  requested constant int := ${input.generation};`,
    `  current boolean := current_setting(${sqlLiteral(SETTING)})::boolean;`,
    "  recorded int;",
    "  open int;",
    "BEGIN",
    `  SELECT substring(shobj_description(oid, 'pg_authid') FROM ${sqlLiteral(`^${RECORD_PREFIX} ([0-9]+):`)})::int INTO recorded`,
    `    FROM pg_roles WHERE rolname = ${sqlLiteral(input.owner)};`,
    // The database has this password already: nothing to set, nothing to fear.
    "  IF current OR recorded IS NULL THEN RETURN; END IF;",
    "  IF requested = recorded THEN",
    `    RAISE EXCEPTION '${field} in ${where}: generation % is deployed, but the password Terraform now holds for ${active}, which PgBouncer uses, is not the one the database has', requested`,
    `      USING DETAIL = 'An earlier apply that was refused replaced it in Terraform''s state; setting it would change the password of the login in use. ${nothing}',`,
    `        HINT = format('Set ${field} to %s in ${where} (a rotation), then deploy again.', recorded + 1);`,
    "  END IF;",
    "  IF requested % 2 = recorded % 2 THEN",
    `    RAISE EXCEPTION '${field} in ${where}: % was given, but the database is at generation %, where PgBouncer logs in as ${active}: % would give ${active} a new password while PgBouncer uses it', requested, recorded, requested`,
    `      USING DETAIL = '${nothing}',`,
    `        HINT = format('Set ${field} to %s in ${where} (a rotation), then deploy again; to retire both passwords, deploy %s and then %s.', recorded + 1, recorded + 1, recorded + 2);`,
    "  END IF;",
    `  SELECT count(*) INTO open FROM pg_stat_activity WHERE usename = ${sqlLiteral(active)};`,
    "  IF open > 0 THEN",
    `    RAISE EXCEPTION '${field} in ${where}: generation % gives ${active} a new password, but it still has % open connections', requested, open`,
    `      USING DETAIL = format('PgBouncer has not moved off it since generation %s was deployed. ${nothing}', recorded),`,
    `        HINT = 'Wait until PgBouncer logs in as the other login (SHOW POOLS as pgbouncer_stats; its config Secret reaches the pod within about a minute), then deploy again.';`,
    "  END IF;",
    "END",
    "$$;",
    `SELECT NOT current_setting(${sqlLiteral(SETTING)})::boolean AS renew \\gset`,
  ];
}

/** After everything else succeeded: what the next run compares with. */
export function generationRecordStatement(input: Pick<GenerationGuardInput, "owner" | "generation">): string {
  return `COMMENT ON ROLE ${input.owner} IS ${sqlLiteral(generationRecord(input.generation))};`;
}

// The bootstrap's two checks, as plpgsql blocks for bootstrap.sql: one before it changes
// anything (can the master user manage Airflow's roles at all?) and one after (can any of
// Airflow's roles do more than own its database?). Either stops the Job with a message that
// names the role, what is wrong and what would fix it.

/** A SQL string literal. */
export function sqlLiteral(text: string): string {
  return `'${text.split("'").join("''")}'`;
}

/**
 * From PostgreSQL 16, CREATEROLE lets a role alter, grant or drop only the roles it holds ADMIN
 * OPTION on: the ones it created itself, or was granted WITH ADMIN OPTION. A role of ours made
 * by anyone else (another administrator, a restore, an upgrade that did not carry the grant)
 * would fail the bootstrap half-way; this stops it before the first change and says why.
 * @see https://www.postgresql.org/docs/17/release-16.html#RELEASE-16-MIGRATION
 */
export function adminOptionPreflight(roles: readonly string[]): string[] {
  return [
    "DO $$",
    "DECLARE",
    "  found text;",
    "BEGIN",
    `  SELECT string_agg(rolname, ', ' ORDER BY rolname) INTO found FROM pg_roles`,
    `   WHERE rolname IN (${roles.map(sqlLiteral).join(", ")}) AND NOT pg_has_role(rolname, 'MEMBER WITH ADMIN OPTION');`,
    "  IF found IS NOT NULL THEN",
    "    RAISE EXCEPTION 'Airflow roles % exist but % holds no ADMIN OPTION on them, so it may not alter them (PostgreSQL 16 and later)', found, current_user",
    "      USING HINT = format('A role that holds ADMIN OPTION on them (their creator) runs GRANT <role> TO %I WITH ADMIN OPTION for each, then the bootstrap runs again.', current_user);",
    "  END IF;",
    "END",
    "$$;",
  ];
}

/**
 * Fails the Job if any of Airflow's roles could do more than own its database: a role
 * attribute, a membership in another role, or a privilege on anything outside its database.
 * Grants are read from pg_shdepend, which records every role named in an object's ACL in every
 * database of the instance (the owner's own entries aside), so a grant in a database the Job is
 * not connected to is seen too.
 * @see https://www.postgresql.org/docs/17/catalog-pg-shdepend.html
 */
export function verificationBlock(owner: string, logins: readonly string[], database: string): string[] {
  const ours = [owner, ...logins].map(sqlLiteral).join(", ");
  return [
    "DO $$",
    "DECLARE",
    "  found text;",
    "BEGIN",
    `  SELECT string_agg(rolname, ', ') INTO found FROM pg_roles`,
    `   WHERE rolname IN (${ours}) AND (rolsuper OR rolcreatedb OR rolcreaterole OR rolreplication OR rolbypassrls);`,
    "  IF found IS NOT NULL THEN",
    "    RAISE EXCEPTION 'Airflow roles with more than they need: %', found;",
    "  END IF;",
    `  SELECT string_agg(format('%s in %s', m.rolname, g.rolname), ', ') INTO found`,
    "    FROM pg_auth_members a JOIN pg_roles m ON m.oid = a.member JOIN pg_roles g ON g.oid = a.roleid",
    `   WHERE m.rolname IN (${ours}) AND g.rolname <> ${sqlLiteral(owner)};`,
    "  IF found IS NOT NULL THEN",
    "    RAISE EXCEPTION 'Airflow roles that belong to other roles: %', found;",
    "  END IF;",
    // dbid 0: a shared object (a database, a tablespace, a parameter); otherwise the database
    // the object lives in. Inside Airflow's own database its roles may hold what they like.
    `  SELECT string_agg(format('%s on %s', r.rolname, CASE WHEN d.dbid = 0 THEN pg_describe_object(d.classid, d.objid, 0) ELSE format('%s %s in database %s', d.classid::regclass, d.objid, db.datname) END), ', ' ORDER BY 1)`,
    "    INTO found",
    "    FROM pg_shdepend d JOIN pg_roles r ON r.oid = d.refobjid LEFT JOIN pg_database db ON db.oid = d.dbid",
    `   WHERE d.refclassid = 'pg_authid'::regclass AND d.deptype = 'a' AND r.rolname IN (${ours})`,
    `     AND coalesce(db.datname, '') <> ${sqlLiteral(database)}`,
    `     AND NOT (d.dbid = 0 AND d.classid = 'pg_database'::regclass AND d.objid = (SELECT oid FROM pg_database WHERE datname = ${sqlLiteral(database)}));`,
    "  IF found IS NOT NULL THEN",
    `    RAISE EXCEPTION 'Airflow roles with privileges outside the % database: %', ${sqlLiteral(database)}, found`,
    "      USING HINT = 'REVOKE them; Airflow needs nothing but its own database.';",
    "  END IF;",
    "END",
    "$$;",
  ];
}

import type { RuleViolation } from "../common/rule-violation";
import type { ParsedEnvironment } from "../schema/environment";
import { checkAccessRules } from "./access-rules";
import { checkAirflowImageRules } from "./airflow-image-rules";
import { checkAirflowRules } from "./airflow-rules";
import { checkCapacityRules } from "./capacity-rules";
import { checkCiRules } from "./ci-rules";
import { checkDatabase, checkEnvironmentTags, checkNetwork, checkNodeGroups, checkZones } from "./environment-rules";
import { checkInstanceExtras } from "./instance-extras-rules";
import { checkObservabilityRules } from "./observability-rules";
import { checkPlaceholders } from "./placeholder-rules";
import { checkPolicyWaivers } from "./policy-waiver-rules";
import { checkTaskPoolRules } from "./task-pool-rules";

// Every rule of the configuration language, in groups by the sections they read. Rule files import
// RuleViolation from common/, never this file, so collecting them makes no circle.

/**
 * A group of rules and the top-level sections it reads. When some sections of a file fail the
 * schema, validation still runs every group whose sections parsed, so one report holds the
 * typo and the rule problems together. A new rule goes into a group that names what it reads.
 */
export interface RuleGroup {
  readonly name: string;
  readonly needs: readonly (keyof ParsedEnvironment)[];
  readonly check: (env: ParsedEnvironment) => RuleViolation[];
}

export const RULE_GROUPS: readonly RuleGroup[] = [
  { name: "zones", needs: ["stage", "account", "availabilityZones"], check: checkZones },
  { name: "network", needs: ["stage", "network", "cluster", "availabilityZones"], check: checkNetwork },
  { name: "node groups", needs: ["nodeGroups", "extraInstanceTypes"], check: checkNodeGroups },
  { name: "database", needs: ["stage", "database"], check: checkDatabase },
  { name: "tags", needs: ["tags"], check: checkEnvironmentTags },
  { name: "airflow", needs: ["airflow", "database", "logStorage", "account"], check: checkAirflowRules },
  { name: "airflow image", needs: ["airflow", "taskImages"], check: checkAirflowImageRules },
  { name: "api server access", needs: ["airflow", "network", "account"], check: checkAccessRules },
  { name: "ci", needs: ["ci", "account", "cluster"], check: checkCiRules },
  { name: "observability", needs: ["stage", "observability", "airflow"], check: checkObservabilityRules },
  { name: "policy waivers", needs: ["policyWaivers"], check: checkPolicyWaivers },
  { name: "instance extras", needs: ["extraInstanceTypes", "extraDbInstanceClasses"], check: checkInstanceExtras },
  { name: "task pools", needs: ["nodeGroups", "airflow", "extraInstanceTypes"], check: checkTaskPoolRules },
  { name: "capacity", needs: ["nodeGroups", "airflow", "database", "extraInstanceTypes", "extraDbInstanceClasses"], check: checkCapacityRules },
  { name: "placeholders", needs: ["name", "stage", "example", "account", "stateBackend", "observability", "airflow", "ci"], check: checkPlaceholders },
];

/** Rules that relate fields to each other or to the stage; the schema has already checked shapes. */
export function checkEnvironmentRules(env: ParsedEnvironment): RuleViolation[] {
  return RULE_GROUPS.flatMap((group) => group.check(env));
}

import { randomInt } from "node:crypto";
import { AIRFLOW_LOGIN_ROLES, loginPasswordGenerations, type AirflowLoginRole } from "../../constructs/database/airflow-roles";

// Airflow's login passwords the way the platform stack's `random_password` resources make them
// (constructs/database/airflow-logins.ts): each login's keeper is the generation
// loginPasswordGenerations gives it; when a keeper changes, Terraform replaces the resource and a
// new random value appears (length 48, no special characters); otherwise the value in state stays.
// A value is never derived from the generation, so going back to a generation does not bring its
// old password back.
// @see https://registry.terraform.io/providers/hashicorp/random/latest/docs/resources/password

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

function randomPassword(): string {
  return Array.from({ length: 48 }, () => ALPHABET[randomInt(ALPHABET.length)]).join("");
}

export class TerraformLoginPasswords {
  private readonly state = new Map<AirflowLoginRole, { readonly keeper: number; readonly value: string }>();

  /** What `terraform apply` leaves in state for a generation; returns the logins it renewed. */
  apply(generation: number): AirflowLoginRole[] {
    const keepers = loginPasswordGenerations(generation);
    const renewed: AirflowLoginRole[] = [];
    for (const role of AIRFLOW_LOGIN_ROLES) {
      if (this.state.get(role)?.keeper === keepers[role]) continue;
      this.state.set(role, { keeper: keepers[role], value: randomPassword() });
      renewed.push(role);
    }
    return renewed;
  }

  /** The values in state now. */
  current(): Record<AirflowLoginRole, string> {
    const value = (role: AirflowLoginRole) => {
      const kept = this.state.get(role);
      if (!kept) throw new Error("no apply yet");
      return kept.value;
    };
    return { airflow_blue: value("airflow_blue"), airflow_green: value("airflow_green") };
  }
}

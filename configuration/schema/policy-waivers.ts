import { z } from "zod";

/** Exceptions to the policy suite, each with its reason; shown as waived in `npm run policy`. */
export const policyWaiversSchema = z
  .array(
    z
      .object({
        rule: z.string().min(1),
        resource: z.string().min(1).optional(),
        reason: z.string().trim().min(20, "a reason of at least 20 characters: why the rule does not apply here"),
      })
      .strict(),
  )
  .default([]);

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { rotationRules } from "../../constructs/database/password-rotation";

describe("the master password's rotation window", () => {
  it("becomes Secrets Manager's schedule expression and duration", () => {
    assert.deepEqual(rotationRules({ dayOfWeek: "tue", startHourUtc: 14, hours: 2 }), {
      scheduleExpression: "cron(0 14 ? * TUE *)",
      duration: "2h",
    });
  });
});

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { refreshCron, rotationRules, rotationWindowEnd } from "../../constructs/database/password-rotation";

describe("the master password's rotation window", () => {
  it("becomes Secrets Manager's schedule expression and duration", () => {
    assert.deepEqual(rotationRules({ dayOfWeek: "tue", startHourUtc: 14, hours: 2 }), {
      scheduleExpression: "cron(0 14 ? * TUE *)",
      duration: "2h",
    });
  });

  it("closes on the next day when it runs past midnight, and the refresh follows it", () => {
    const window = { dayOfWeek: "sat", startHourUtc: 22, hours: 3 } as const;
    assert.deepEqual(rotationWindowEnd(window), { dayOfWeek: "sun", hourUtc: 1 });
    assert.equal(refreshCron(window), "0 1 * * 0");
    assert.equal(refreshCron({ dayOfWeek: "tue", startHourUtc: 14, hours: 2 }), "0 16 * * 2");
  });
});

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseCapacityArguments } from "../../tools/capacity/capacity-arguments";
import { COMMANDS, helpText, runCli } from "../../cli/main";

// --help advertises only what each command accepts.

describe("airflow-platform --help", () => {
  it("lists every command", () => {
    for (const name of Object.keys(COMMANDS)) assert.match(helpText(), new RegExp(`^  ${name} `, "m"), name);
  });

  it("shows capacity's flags as its parser accepts them, and none it refuses", () => {
    const flags = [...COMMANDS.capacity.usage.matchAll(/--[a-z-]+/g)].map((m) => m[0]);
    assert.ok(flags.length >= 5, COMMANDS.capacity.usage);
    for (const flag of new Set(flags)) {
      const parsed = parseCapacityArguments(["prod", flag, flag === "--runs" ? "runs.json" : "x=1", ...(flag === "--dag" ? ["--runs", "r.json"] : flag === "--runs" ? ["--dag", "t.json"] : [])]);
      assert.ok(!("error" in parsed) || !/unknown flag/.test(parsed.error), `${flag}: ${"error" in parsed ? parsed.error : ""}`);
    }
    for (const refused of ["--tasks", "--layers", "--baseline"]) assert.ok(!helpText().includes(refused), refused);
  });

  it("shows each other command's flags as it accepts them", async () => {
    const out: string[] = [];
    const io = { stdout: (s: string) => void out.push(s), stderr: (s: string) => void out.push(s) };
    for (const [name, argv] of [["workflow", ["workflow", "--frobnicate", "x"]], ["plan", ["plan", "dev", "network"]]] as const) {
      assert.match(COMMANDS[name].usage, new RegExp(`^${name} `));
      assert.equal(await runCli([...argv], { environments: {}, io }), 2, `${name} refuses what its usage does not show`);
    }
  });
});

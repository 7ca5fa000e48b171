import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { copyProject } from "../support/project-copy";
import { QA_OVERRIDES } from "../support/qa-environments";

// What a platform team does (docs/extending.md, "Adding an environment"): a qa environment promoted
// between dev and staging, and prod's pools resized. In a copy of the project, the shipped commands
// regenerate what is generated, and the tests that depend on the environment list stay green.

const QA = `import { mergeEnvironment } from "../configuration/schema/merge";
import { staging } from "./staging";

export const qa = mergeEnvironment(staging, ${JSON.stringify(QA_OVERRIDES, null, 2)});
`;

/** The environment-dependent tests: the pipeline, promotion, the reference, pools and capacity. */
const ENVIRONMENT_DEPENDENT = ["workflow", "workflow-pull-requests", "promotion", "reference", "task-pools", "capacity-command"].map((name) => `test/unit/${name}.test.ts`);

describe("a team adds qa between dev and staging and resizes prod's pools", () => {
  const project = copyProject("added-environment");
  project.write("environments/qa.ts", QA);
  project.edit("environments/index.ts", (text) =>
    text.replace('import { prod } from "./prod";', 'import { prod } from "./prod";\nimport { qa } from "./qa";').replace("{ dev, staging, prod }", "{ dev, qa, staging, prod }"),
  );
  // Both pools grow (so parallelism still fits): a dozen more task nodes, two more memory nodes.
  project.edit("environments/prod.ts", (text) =>
    text
      .replace(/(tasks: \{ minSize: \d+, maxSize: )(\d+)/, (_, head: string, size: string) => `${head}${Number(size) + 12}`)
      .replace(/(taskPools: \{ memory: \{ maxSize: )(\d+)/, (_, head: string, size: string) => `${head}${Number(size) + 2}`),
  );

  it("regenerates the pipeline with qa's jobs in promotion order", () => {
    const generated = project.node("scripts/workflow.ts");
    assert.equal(generated.status, 0, generated.stderr);
    const workflow = readFileSync(join(project.root, ".github/workflows/platform.yml"), "utf8");
    assert.match(workflow, /environment: \[dev, qa, staging\]\n/, "pull requests diff every environment below prod");
    assert.match(workflow, /deploy-prod-infrastructure:\n(?:.*\n)*? {4}needs: \[deploy-staging-platform, diff-prod\]\n/);
    assert.match(workflow, /deploy-qa-infrastructure:\n(?:.*\n)*? {4}needs: deploy-dev-platform\n/);
    assert.match(workflow, /npm run promote:check -- dev qa\n/);
    assert.match(workflow, /npm run promote:check -- qa staging\n/);
    const reference = project.node("scripts/reference.ts");
    assert.equal(reference.status, 0, reference.stderr);
  });

  it("checks the promotion into and out of qa", () => {
    for (const [source, target] of [["dev", "qa"], ["qa", "staging"]]) {
      const check = project.node("scripts/promote-check.ts", source, target);
      assert.equal(check.status, 0, `${source} → ${target}: ${check.stdout}${check.stderr}`);
      assert.match(check.stdout, new RegExp(`Promotion ${source} → ${target}: \\d+ differences, 0 not allowed`));
    }
  });

  it("keeps the environment-dependent tests green", () => {
    const tests = project.node("--test", "--test-reporter=tap", ...ENVIRONMENT_DEPENDENT);
    assert.equal(tests.status, 0, `${tests.stdout.split("\n").filter((l) => /not ok|error|expected|actual/.test(l)).slice(0, 40).join("\n")}\n${tests.stderr}`);
    assert.match(tests.stdout, /^# fail 0$/m);
  });
});

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, it } from "node:test";
import Ajv from "ajv";
import { configurationMarkdown, environmentJsonSchema, REFERENCE_FILES } from "../../tools/reference/configuration-reference";
import { SHIPPED_ENVIRONMENTS } from "../../environments";
import { environmentSchema } from "../../configuration/schema/environment";
import { fieldRows } from "../../configuration/reference/schema-reference";
import { shippedWith } from "../support/environments";

const root = resolve(__dirname, "../..");
const read = (file: string) => readFileSync(join(root, file), "utf8");

describe("the configuration reference", () => {
  it("docs/configuration.md is what the schema generates (npm run reference regenerates it)", () => {
    assert.equal(read(REFERENCE_FILES.markdown), configurationMarkdown(), "stale: run npm run reference");
  });

  it("docs/environment.schema.json is what the schema generates", () => {
    assert.equal(read(REFERENCE_FILES.jsonSchema), environmentJsonSchema(), "stale: run npm run reference");
  });

  it("lists every field of the schema, with its type, whether required, its default", () => {
    const markdown = configurationMarkdown();
    for (const row of fieldRows(environmentSchema)) assert.ok(markdown.includes(`| \`${row.path}\` |`), row.path);
    assert.match(markdown, /\| `nodeGroups\.tasks\.diskSizeGiB` \| integer 20–16384 \| {2}\| `50` \| `100` \|/);
    assert.match(markdown, /\| `database\.multiAz` \| boolean \| yes \| {2}\| `true` \| prod: true \|/);
  });

  it("the JSON Schema accepts every shipped environment and refuses what the zod schema refuses", () => {
    const validate = new Ajv({ strict: false, allErrors: true }).compile(JSON.parse(environmentJsonSchema()) as object);
    for (const [name, environment] of Object.entries(SHIPPED_ENVIRONMENTS)) assert.ok(validate(environment), `${name}: ${JSON.stringify(validate.errors)}`);
    assert.equal(validate(shippedWith("dev", { nodeGroups: { tasks: { maxSzie: 3 } } as never })), false);
    assert.equal(validate(shippedWith("dev", { database: { backupRetentionDays: 99 } })), false);
    assert.equal(validate(shippedWith("dev", { stateBackend: { kind: "s3", bucket: "Bad_Bucket", region: "eu-west-1", kmsKeyId: "alias/k" } })), false);
  });
});

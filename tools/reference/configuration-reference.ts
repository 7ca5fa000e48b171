import { valueAt } from "../../lib/config-error";
import { FIELD_DESCRIPTIONS, STAGE_REQUIREMENTS } from "../../configuration/reference/field-docs";
import { SHIPPED_ENVIRONMENTS } from "../../environments/index";
import { environmentSchema } from "../../configuration/schema/environment";
import { fieldRows, jsonSchemaOf, type FieldRow } from "../../configuration/reference/schema-reference";

/** Where the generated files live, relative to the package root. */
export const REFERENCE_FILES = { markdown: "docs/configuration.md", jsonSchema: "docs/environment.schema.json" } as const;

function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

function shown(value: unknown): string {
  if (value === undefined) return "";
  const json = JSON.stringify(value);
  return `\`${json.length > 60 ? `${json.slice(0, 57)}...` : json}\``;
}

/** A value a shipped environment gives the field, as an example. */
function example(row: FieldRow): unknown {
  if (row.path.includes("[]")) return undefined;
  const path = row.path.split(".");
  for (const name of ["prod", "staging", "dev"]) {
    const value = valueAt(SHIPPED_ENVIRONMENTS[name], path);
    if (value !== undefined && (typeof value !== "object" || Array.isArray(value))) return value;
  }
  return undefined;
}

/** docs/configuration.md: every field of an environment file, its type, default, example and stage demands. */
export function configurationMarkdown(): string {
  const rows = fieldRows(environmentSchema);
  const sections = [...new Set(rows.map((r) => r.path.split(/[.[]/)[0]))];
  const lines = [
    "# Environment configuration reference",
    "",
    "<!-- Generated from configuration/schema/environment.ts by `npm run reference`; a test fails when it is stale. Do not edit. -->",
    "",
    "An environment file (`environments/<name>.ts`) is `mergeEnvironment(base, overrides)`; the result must",
    "have this shape. Fields marked required have no default. `[]` marks the items of a list. The JSON",
    `Schema of the same shape is \`${REFERENCE_FILES.jsonSchema}\`, for editors. Examples are the shipped`,
    "environments' values. Stage demands are checked by the rules (`configuration/rules/environment-rules.ts` and friends).",
    "",
  ];
  for (const section of sections) {
    lines.push(`## \`${section}\``, "", "| field | type | required | default | example | stage demands | description |", "|---|---|---|---|---|---|---|");
    for (const row of rows.filter((r) => r.path === section || r.path.startsWith(`${section}.`) || r.path.startsWith(`${section}[]`))) {
      const description = row.description ?? FIELD_DESCRIPTIONS[row.path] ?? "";
      lines.push(`| \`${row.path}\` | ${cell(row.type)} | ${row.required ? "yes" : ""} | ${row.hasDefault ? cell(shown(row.defaultValue)) : ""} | ${cell(shown(example(row)))} | ${cell(STAGE_REQUIREMENTS[row.path] ?? "")} | ${cell(description)} |`);
    }
    lines.push("");
  }
  return lines.join("\n");
}

/** docs/environment.schema.json: the JSON Schema of a complete environment. */
export function environmentJsonSchema(): string {
  const schema = {
    $schema: "http://json-schema.org/draft-07/schema#",
    $id: "https://airflow-platform/environment.schema.json",
    title: "airflow-platform environment",
    ...jsonSchemaOf(environmentSchema, (path) => FIELD_DESCRIPTIONS[path]),
  };
  return `${JSON.stringify(schema, null, 2)}\n`;
}

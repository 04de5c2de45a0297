/**
 * A Lua script run by its SHA: loaded with SCRIPT LOAD, called with EVALSHA, and reloaded when
 * Redis answers NOSCRIPT (after a restart, a failover or SCRIPT FLUSH the cache is gone).
 * The SHA is computed locally, so the first call needs no extra round trip when Redis already
 * knows the script.
 */
import { createHash } from "node:crypto";
import type { RedisClient } from "./redis.ts";

export interface LuaScript {
  run(keys: string[], args: string[]): Promise<unknown>;
}

function isNoScript(err: unknown): boolean {
  return err instanceof Error && err.message.startsWith("NOSCRIPT");
}

export function defineLuaScript(client: RedisClient, source: string): LuaScript {
  const sha = createHash("sha1").update(source).digest("hex");
  return {
    async run(keys, args) {
      try {
        return await client.evalSha(sha, { keys, arguments: args });
      } catch (err) {
        if (!isNoScript(err)) throw err;
        await client.scriptLoad(source);
        return client.evalSha(sha, { keys, arguments: args });
      }
    },
  };
}

/** Redis integer replies arrive as numbers; anything else in a script reply is a bug worth a loud error. */
export function asInt(value: unknown, what: string): number {
  if (typeof value === "number" && Number.isSafeInteger(value)) return value;
  if (typeof value === "string" && /^-?\d+$/.test(value)) return Number(value);
  throw new TypeError(`unexpected ${what} in Redis reply: ${String(value)}`);
}

export function asArray(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) throw new TypeError(`unexpected ${what} in Redis reply`);
  return value;
}

export function asString(value: unknown, what: string): string {
  if (typeof value === "string") return value;
  throw new TypeError(`unexpected ${what} in Redis reply`);
}

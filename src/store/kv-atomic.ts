/**
 * Compare-and-swap on one key of a Keyv namespace, for state that two writers may race on
 * (who owns a Steam account, which account a member holds). Values are strings, stored exactly as
 * Keyv stores them (`{"value":…}` as JSON), so the same keys stay readable through plain Keyv.
 *
 * Redis: one Lua script per swap, atomic across every instance sharing the server. Memory: the
 * swaps on one Keyv run one after another (a promise chain per namespace); nothing else in the
 * process writes those keys.
 */
import type { Keyv } from "keyv";
import type { AtomicKV } from "../core/kv.ts";
import { defineLuaScript } from "./lua-script.ts";
import type { RedisClient } from "./redis.ts";

// ARGV: hasExpected ("1"/"0"), expected, hasNext ("1"/"0"), next (already serialized), ttl ms ("0": none).
const CAS_SCRIPT = `
local raw = redis.call("GET", KEYS[1])
local current = false
if raw then
  local ok, decoded = pcall(cjson.decode, raw)
  if ok and type(decoded) == "table" then current = decoded.value end
end
if ARGV[1] == "1" then
  if current ~= ARGV[2] then return 0 end
elseif current then
  return 0
end
if ARGV[3] ~= "1" then
  redis.call("DEL", KEYS[1])
elseif ARGV[5] ~= "0" then
  redis.call("SET", KEYS[1], ARGV[4], "PX", ARGV[5])
else
  redis.call("SET", KEYS[1], ARGV[4])
end
return 1`;

export function createRedisAtomicKv(
  client: RedisClient,
  keyv: Keyv<unknown>,
  prefix: string,
  namespace: string,
): AtomicKV {
  const script = defineLuaScript(client, CAS_SCRIPT);
  const full = (key: string) => `${prefix}kv:${namespace}:${key}`;
  return {
    get: async (key) => {
      const value = await keyv.get(key);
      return typeof value === "string" ? value : undefined;
    },
    async compareAndSwap(key, expected, next, ttlMs) {
      // Stored as Keyv stores it, expiry included, so Keyv reads it back unchanged.
      const expires = ttlMs === undefined ? undefined : Date.now() + ttlMs;
      const args = [
        expected === undefined ? "0" : "1",
        expected ?? "",
        next === undefined ? "0" : "1",
        next === undefined ? "" : JSON.stringify({ value: next, expires }),
        String(ttlMs ?? 0),
      ];
      return (await script.run([full(key)], args)) === 1;
    },
  };
}

const chains = new WeakMap<object, Promise<unknown>>();

export function createMemoryAtomicKv(keyv: Keyv<unknown>): AtomicKV {
  const get = async (key: string) => {
    const value = await keyv.get(key);
    return typeof value === "string" ? value : undefined;
  };
  const serially = <T>(fn: () => Promise<T>): Promise<T> => {
    const previous = chains.get(keyv) ?? Promise.resolve();
    const run = previous.then(fn, fn);
    chains.set(
      keyv,
      run.catch(() => undefined),
    );
    return run;
  };
  return {
    get,
    compareAndSwap: (key, expected, next, ttlMs) =>
      serially(async () => {
        if ((await get(key)) !== expected) return false;
        if (next === undefined) await keyv.delete(key);
        else await keyv.set(key, next, ttlMs);
        return true;
      }),
  };
}

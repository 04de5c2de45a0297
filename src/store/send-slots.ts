/**
 * The send-slot timelines behind pacing (see core/pacing.ts): per key, the time the next slot
 * starts ("theoretical arrival time"). In memory for one process; in Redis, one atomic script,
 * so several instances on one bot token book from the same timeline. Times come from the
 * caller's clock (instances are expected to keep theirs in sync with NTP, as leases already
 * assume).
 */
import type { SlotGrant, SlotStore } from "../core/pacing.ts";
import { asArray, asInt, defineLuaScript } from "./lua-script.ts";
import type { RedisClient } from "./redis.ts";

function book(next: number, intervalMs: number, maxAheadMs: number, now: number) {
  const at = Math.max(now, next);
  return at - now > maxAheadMs ? { granted: false, at, next } : { granted: true, at, next: at + intervalMs };
}

export function createMemorySlotStore(): SlotStore {
  const timelines = new Map<string, number>();
  return {
    async reserve(key, intervalMs, maxAheadMs, now): Promise<SlotGrant> {
      const previous = timelines.get(key) ?? 0;
      const r = book(previous, intervalMs, maxAheadMs, now);
      // A timeline that has fallen behind `now` holds nothing worth keeping.
      if (r.next <= now) timelines.delete(key);
      else timelines.set(key, r.next);
      // Drop timelines long past, so a run with many chats does not hoard them.
      if (timelines.size > 10_000) for (const [k, t] of timelines) if (t <= now) timelines.delete(k);
      return { granted: r.granted, at: r.at };
    },
    async holdUntil(key, at, now) {
      if (at > now && at > (timelines.get(key) ?? 0)) timelines.set(key, at);
    },
  };
}

// KEYS: the timeline. ARGV: now, interval, maxAhead. Returns {granted, at}.
const RESERVE = `
local now = tonumber(ARGV[1])
local at = math.max(now, tonumber(redis.call('GET', KEYS[1]) or '0'))
if at - now > tonumber(ARGV[3]) then return {0, at} end
local next = at + tonumber(ARGV[2])
redis.call('SET', KEYS[1], next, 'PX', next - now + 1000)
return {1, at}
`;

// KEYS: the timeline. ARGV: at, now.
const HOLD = `
local at = tonumber(ARGV[1])
if at > tonumber(redis.call('GET', KEYS[1]) or '0') then
  redis.call('SET', KEYS[1], at, 'PX', math.max(at - tonumber(ARGV[2]), 0) + 1000)
end
return 1
`;

export function createRedisSlotStore(client: RedisClient, prefix = "sb:"): SlotStore {
  const script = defineLuaScript(client, RESERVE);
  const hold = defineLuaScript(client, HOLD);
  return {
    async reserve(key, intervalMs, maxAheadMs, now): Promise<SlotGrant> {
      const reply = asArray(
        await script.run(
          [`${prefix}pace:${key}`],
          [String(Math.floor(now)), String(Math.ceil(intervalMs)), String(Math.floor(maxAheadMs))],
        ),
        "reserve",
      );
      return { granted: asInt(reply[0], "granted") === 1, at: asInt(reply[1], "slot") };
    },
    async holdUntil(key, at, now) {
      await hold.run([`${prefix}pace:${key}`], [String(Math.ceil(at)), String(Math.floor(now))]);
    },
  };
}

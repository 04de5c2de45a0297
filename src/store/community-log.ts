/**
 * The community audit trail on Redis (a list plus a set of seen lines, changed together by one
 * script) and in memory. The previous layout kept the whole trail as one rewritten Keyv value;
 * it is still read, behind the new lines, so nothing written before is lost.
 */
import {
  COMMUNITY_LOG_KEEP,
  type CommunityEvent,
  type CommunityLog,
  communityLineKey,
} from "../core/community-log.ts";
import type { KV } from "../core/kv.ts";
import { defineLuaScript } from "./lua-script.ts";
import type { RedisClient } from "./redis.ts";

// KEYS: list, seen. ARGV: line key, event JSON, keep.
const APPEND = `
if redis.call('SADD', KEYS[2], ARGV[1]) == 0 then return 0 end
redis.call('LPUSH', KEYS[1], ARGV[2])
redis.call('LTRIM', KEYS[1], 0, tonumber(ARGV[3]) - 1)
return 1
`;

async function withLegacy(
  fresh: CommunityEvent[],
  legacy: KV | undefined,
  limit: number,
  offset: number,
  total: number,
): Promise<CommunityEvent[]> {
  if (!legacy || fresh.length >= limit) return fresh;
  const old = ((await legacy.get("community-log")) as CommunityEvent[] | undefined) ?? [];
  const start = Math.max(0, offset - total);
  return [...fresh, ...old.slice(start, start + limit - fresh.length)];
}

export function createRedisCommunityLog(client: RedisClient, prefix = "sb:", legacy?: KV): CommunityLog {
  const list = `${prefix}community`;
  const seen = `${prefix}community-seen`;
  const script = defineLuaScript(client, APPEND);
  return {
    async append(event) {
      await script.run(
        [list, seen],
        [communityLineKey(event), JSON.stringify(event), String(COMMUNITY_LOG_KEEP)],
      );
    },
    async recent(limit, offset = 0) {
      const [rows, total] = await Promise.all([
        client.lRange(list, offset, offset + limit - 1),
        client.lLen(list),
      ]);
      const fresh = rows.map((r) => JSON.parse(r) as CommunityEvent);
      return withLegacy(fresh, legacy, limit, offset, total);
    },
  };
}

export function createMemoryCommunityLog(): CommunityLog {
  const lines: CommunityEvent[] = [];
  const seen = new Set<string>();
  return {
    async append(event) {
      const key = communityLineKey(event);
      if (seen.has(key)) return;
      seen.add(key);
      lines.unshift(structuredClone(event));
      if (lines.length > COMMUNITY_LOG_KEEP) lines.length = COMMUNITY_LOG_KEEP;
    },
    async recent(limit, offset = 0) {
      return structuredClone(lines.slice(offset, offset + limit));
    },
  };
}

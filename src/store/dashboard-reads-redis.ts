/**
 * The dashboard's paged reads on Redis, in the ledger's layout (`members` set, `jrnl:<member>`
 * lists) plus two keys of its own under the prefix:
 *   dash:names    sorted set, all scores 0: "<lower-cased name>\0<member>", searched by prefix (ZRANGEBYLEX)
 *   dash:unreachable  set of members whose DMs fail
 *   dash:trades   list of externalIds, newest first, trimmed to RECENT_TRADES_KEPT
 * Every call is bounded: SSCAN pages the members set, LLEN sizes a journal.
 */
import { type DashboardReads, nameKey, RECENT_TRADES_KEPT } from "../core/dashboard/read-model.ts";
import type { RedisClient } from "./redis.ts";

export function createRedisDashboardReads(client: RedisClient, prefix = "sb:"): DashboardReads {
  const k = {
    members: `${prefix}members`,
    jrnl: (m: string) => `${prefix}jrnl:${m}`,
    names: `${prefix}dash:names`,
    trades: `${prefix}dash:trades`,
    unreachable: `${prefix}dash:unreachable`,
  };
  return {
    async memberPage(cursor, count) {
      const members: string[] = [];
      let at = cursor ?? "0";
      // SSCAN may answer short or empty pages; keep going until the page is full or the scan ends.
      do {
        const reply = await client.sScan(k.members, at, { COUNT: count });
        members.push(...reply.members);
        at = String(reply.cursor);
      } while (at !== "0" && members.length < count);
      return at === "0" ? { members } : { members, next: at };
    },
    memberCount: () => client.sCard(k.members),
    journalLength: (memberId) => client.lLen(k.jrnl(memberId)),
    async noteName(memberId, name) {
      await client.zAdd(k.names, { score: 0, value: `${nameKey(name)}\0${memberId}` });
    },
    async searchNames(prefix, limit) {
      const p = nameKey(prefix);
      if (p === "") return [];
      const rows = await client.zRangeByLex(k.names, `[${p}`, `[${p}\xff`, {
        LIMIT: { offset: 0, count: limit },
      });
      return [...new Set(rows.map((r) => r.slice(r.indexOf("\0") + 1)))];
    },
    async noteUnreachable(memberId, unreachable) {
      if (unreachable) await client.sAdd(k.unreachable, memberId);
      else await client.sRem(k.unreachable, memberId);
    },
    async unreachable(limit) {
      const reply = await client.sScan(k.unreachable, "0", { COUNT: limit });
      return reply.members.slice(0, limit);
    },
    async noteTrade(externalId) {
      await client
        .multi()
        .lPush(k.trades, externalId)
        .lTrim(k.trades, 0, RECENT_TRADES_KEPT - 1)
        .exec();
    },
    recentTrades: (limit) => client.lRange(k.trades, 0, limit - 1),
  };
}

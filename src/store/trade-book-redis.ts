/**
 * The trade book on Redis: a whole settlement transition is one Lua script, so its version
 * check, ledger moves, verdicts, links, watch-list changes and after-commit work land together
 * or not at all, whichever instance runs it and however long it stalled before.
 *
 * Layout under the prefix (besides the ledger's own keys, which the script shares):
 *   trade:<externalId>     hash { v: version, r: TradeRecord JSON }
 *   trade-id:<tradeId>     string: the externalId an AssetPay trade id belongs to (set once)
 *   trades-of:<member>     list of externalIds, newest first (appended, never rewritten)
 *   watch                  ZSET ref → when the reconciler should next look (epoch ms)
 *   relay                  hash key → after-commit work (JSON) not yet carried out
 * Baskets written by the previous layout (a Keyv value per record) are read through `legacy`
 * as version 0; their first commit moves them here.
 */
import type { KV } from "../core/kv.ts";
import type { MemberId } from "../core/ledger.ts";
import {
  type AfterCommit,
  BALANCE_AFTER,
  type CommitResult,
  type StoredTrade,
  type TradeBook,
  type TradeCommit,
} from "../core/trade-book.ts";
import type { TradeRecord } from "../core/trade-records.ts";
import { LEDGER_BALANCE_LUA, LEDGER_WRITE_LUA, ledgerKeys } from "./ledger-redis.ts";
import { asArray, asInt, asString, defineLuaScript } from "./lua-script.ts";
import type { RedisClient } from "./redis.ts";
import { planMoves } from "./trade-book-plan.ts";

export interface RedisTradeBookOptions {
  client: RedisClient;
  prefix?: string;
  clock?: () => Date;
  /** The previous layout's record namespace (Keyv `intents`), read when a basket is not here yet. */
  legacy?: KV;
}

// KEYS: bal, jrnl, applied, totals, members (the ledger's), trade, watch, relay, memberTrades,
//       then one key per verdict, then one per link.
// ARGV: expected version, record JSON, member, externalId, created, nMoves, nVerdicts, nLinks,
//       nWatch, nRelay, nDone, then 5 per move (key, dA, dH, allowNegative, entry), 1 per verdict,
//       2 per watch change (ref, due or ''), 2 per relay entry (key, json), 1 per done relay key.
const COMMIT = `${LEDGER_BALANCE_LUA}${LEDGER_WRITE_LUA}
local version = tonumber(redis.call('HGET', KEYS[6], 'v') or '0')
if version ~= tonumber(ARGV[1]) then return {'conflict'} end
local nM, nV, nL, nW, nR = tonumber(ARGV[6]), tonumber(ARGV[7]), tonumber(ARGV[8]), tonumber(ARGV[9]), tonumber(ARGV[10])
local nD = tonumber(ARGV[11])
local p = 12
local ta, th = a, h
for i = 0, nM - 1 do
  local b = p + i * 5
  if redis.call('HEXISTS', KEYS[3], ARGV[b]) == 0 then
    local dA, dH = tonumber(ARGV[b + 1]), tonumber(ARGV[b + 2])
    if (dA < 0 and ARGV[b + 3] ~= '1' and ta + dA < 0) or (dH < 0 and th + dH < 0) then
      return {'insufficient', a, h}
    end
    ta, th = ta + dA, th + dH
  end
end
for i = 0, nM - 1 do
  local b = p + i * 5
  if redis.call('HEXISTS', KEYS[3], ARGV[b]) == 0 then
    write(ARGV[b], ARGV[3], ARGV[b + 1], ARGV[b + 2], ARGV[b + 4])
  end
end
p = p + nM * 5
for i = 0, nV - 1 do redis.call('SET', KEYS[10 + i], ARGV[p + i]) end
p = p + nV
for i = 0, nL - 1 do redis.call('SET', KEYS[10 + nV + i], ARGV[4], 'NX') end
for i = 0, nW - 1 do
  local b = p + i * 2
  if ARGV[b + 1] == '' then redis.call('ZREM', KEYS[7], ARGV[b])
  else redis.call('ZADD', KEYS[7], ARGV[b + 1], ARGV[b]) end
end
p = p + nW * 2
for i = 0, nD - 1 do redis.call('HDEL', KEYS[8], ARGV[p + nR * 2 + i]) end
local balance = tostring(a)
for i = 0, nR - 1 do
  local b = p + i * 2
  redis.call('HSET', KEYS[8], ARGV[b], (string.gsub(ARGV[b + 1], '"${BALANCE_AFTER}"', balance)))
end
if ARGV[5] == '1' then redis.call('LPUSH', KEYS[9], ARGV[4]) end
redis.call('HSET', KEYS[6], 'v', version + 1, 'r', ARGV[2])
return {'ok', a, h, version + 1}
`;

export function createRedisTradeBook(opts: RedisTradeBookOptions): TradeBook {
  const { client, legacy } = opts;
  const prefix = opts.prefix ?? "sb:";
  const clock = opts.clock ?? (() => new Date());
  const ledger = ledgerKeys(prefix);
  const k = {
    trade: (ext: string) => `${prefix}trade:${ext}`,
    link: (tradeId: string) => `${prefix}trade-id:${tradeId}`,
    memberTrades: (m: MemberId) => `${prefix}trades-of:${m}`,
    watch: `${prefix}watch`,
    relay: `${prefix}relay`,
  };
  const commitScript = defineLuaScript(client, COMMIT);

  const legacyRecord = async (ext: string): Promise<TradeRecord | undefined> => {
    const value = legacy ? await legacy.get(`trade-ext:${ext}`) : undefined;
    return value === undefined || value === null ? undefined : (value as TradeRecord);
  };

  return {
    async get(externalId) {
      const [v, r] = await client.hmGet(k.trade(externalId), ["v", "r"]);
      if (v != null && r != null)
        return { version: asInt(v, "version"), record: JSON.parse(r) as TradeRecord };
      const old = await legacyRecord(externalId);
      return old ? ({ version: 0, record: old } satisfies StoredTrade) : undefined;
    },

    async externalIdOf(tradeId) {
      const ext = await client.get(k.link(tradeId));
      if (ext !== null) return ext;
      const old = legacy ? await legacy.get(`trade-id:${tradeId}`) : undefined;
      return typeof old === "string" ? old : undefined;
    },

    async commit(c: TradeCommit): Promise<CommitResult> {
      const memberId = c.record.memberId;
      const moves = planMoves(c.moves ?? [], clock().toISOString());
      const verdicts = c.verdicts ?? [];
      const links = c.links ?? [];
      const watch = c.watch ?? [];
      const after = c.after ?? [];
      const done = c.relayDone ?? [];
      const keys = [
        ...ledger.moveKeys(memberId),
        k.trade(c.externalId),
        k.watch,
        k.relay,
        k.memberTrades(memberId),
        ...verdicts.map((v) => ledger.verdict(v.tradeId)),
        ...links.map(k.link),
      ];
      const args = [
        String(c.expectedVersion),
        JSON.stringify(c.record),
        memberId,
        c.externalId,
        c.created ? "1" : "0",
        String(moves.length),
        String(verdicts.length),
        String(links.length),
        String(watch.length),
        String(after.length),
        String(done.length),
        ...moves.flatMap((m) => [
          m.key,
          String(m.availableDeltaCents),
          String(m.heldDeltaCents),
          m.allowNegative ? "1" : "0",
          m.entryJson,
        ]),
        ...verdicts.map((v) => JSON.stringify(v)),
        ...watch.flatMap((w) => [w.ref, w.dueAt === null ? "" : String(w.dueAt)]),
        ...after.flatMap((e) => [e.key, JSON.stringify(e)]),
        ...done,
      ];
      const reply = asArray(await commitScript.run(keys, args), "trade commit");
      const status = asString(reply[0], "commit status");
      if (status === "conflict") return { status };
      const balance = { availableCents: asInt(reply[1], "available"), heldCents: asInt(reply[2], "held") };
      if (status === "insufficient") return { status, balance };
      return { status: "committed", version: asInt(reply[3], "version"), balance };
    },

    async memberTrades(memberId, limit) {
      const ids = await client.lRange(k.memberTrades(memberId), 0, limit - 1);
      if (ids.length >= limit || !legacy) return ids;
      // Baskets from before the append-only list: merged behind the new ones.
      const old = (await legacy.get(`trade-member:${memberId}`)) as string[] | undefined;
      const seen = new Set(ids);
      for (const id of old ?? []) if (!seen.has(id)) ids.push(id);
      return ids.slice(0, limit);
    },

    async due(now, limit) {
      return client.zRangeByScore(k.watch, "-inf", now, { LIMIT: { offset: 0, count: limit } });
    },

    async rewatch(change) {
      if (change.dueAt === null) await client.zRem(k.watch, change.ref);
      else await client.zAdd(k.watch, { score: change.dueAt, value: change.ref });
    },

    async watchedCount() {
      return client.zCard(k.watch);
    },

    async pending(limit) {
      const { entries } = await client.hScan(k.relay, "0", { COUNT: limit });
      return entries.slice(0, limit).map((e) => JSON.parse(e.value) as AfterCommit);
    },

    async done(keys) {
      if (keys.length > 0) await client.hDel(k.relay, keys);
    },
  };
}

/** Moves the previous layout's in-flight set into the watch list, once (idempotent). */
export async function migrateLegacyWatch(client: RedisClient, prefix = "sb:"): Promise<number> {
  const legacyKey = `${prefix}inflight`;
  const refs = await client.sMembers(legacyKey);
  if (refs.length === 0) return 0;
  await client.zAdd(
    `${prefix}watch`,
    refs.map((value) => ({ score: 0, value })),
    { NX: true },
  );
  await client.del(legacyKey);
  return refs.length;
}

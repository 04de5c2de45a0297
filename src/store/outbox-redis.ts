/**
 * The durable outbox on the shared Redis client. Every state change is one Lua script, so two
 * instances claiming at the same moment get disjoint notices and a lease can only be ended by
 * its holder.
 *
 * Layout under `<prefix>ob:` (a line is `<platform>:<user>`):
 *   seq                  INCR counter for notice ids (zero-padded, so string order is age order)
 *   n:<id>               hash: the notice (payload kept as JSON text), owner/leaseUntil while leased
 *   q:<line>             ZSET one recipient's queued ids scored by due time (ms); the head goes next
 *   ready                ZSET lines whose head may go now, scored by the head's due time (oldest first)
 *   held                 ZSET lines whose head must wait, scored by when it may go (ms)
 *   busy                 hash line → id of its leased notice (such a line is never in ready)
 *   hold                 hash line → ms before which its head may not be claimed (retry, pacing)
 *   leased               ZSET leased ids scored by lease expiry (ms)
 *   all                  ZSET every queued id (waiting or leased) scored by enqueue time (ms)
 *   k:<dedupe key>       string id, expiring after dedupeTtlMs
 *   inbox:<platform>:<user>  list of undeliverable ids, newest first
 *   stats                hash of counters
 * The claim, undeliverable and clear-inbox scripts derive notice keys from ids inside Lua, so
 * this needs a single Redis (or all keys in one Cluster slot), as the rest of the store does.
 */

import { asArray, asInt, asString, defineLuaScript } from "./lua-script.ts";
import {
  clipError,
  OUTBOX_DEFAULTS,
  type Outbox,
  type OutboxOptions,
  prepareEnqueue,
  requireClaim,
  requireDelay,
} from "./outbox.ts";
import { claimedFrom, createOutboxReads, type OutboxKeys, outboxKeys, pairs } from "./outbox-redis-reads.ts";
import type { RedisClient } from "./redis.ts";

export interface RedisOutboxOptions extends OutboxOptions {
  client: RedisClient;
  prefix?: string;
}

// A line whose head may go now waits in ready, scored by the head's due time, so the oldest
// notice goes first (a member whose line was held for pacing is not sent behind everyone who
// queued meanwhile); one that must wait (notBefore, a retry, pacing) waits in held, scored by
// when it may go. Leased lines are in neither. Used as schedule(lineKey, rk, busy, hold, ready, held, now).
const SCHEDULE = `
local function schedule(q, rk, busy, hold, ready, held, now)
  redis.call('ZREM', ready, rk)
  redis.call('ZREM', held, rk)
  if redis.call('HEXISTS', busy, rk) == 1 then return end
  local head = redis.call('ZRANGE', q, 0, 0, 'WITHSCORES')
  if #head == 0 then
    redis.call('HDEL', hold, rk)
    return
  end
  local due = tonumber(head[2])
  local at = math.max(due, tonumber(redis.call('HGET', hold, rk) or '0'))
  if at > tonumber(now) then
    redis.call('ZADD', held, at, rk)
  else
    redis.call('ZADD', ready, due, rk)
  end
end
`;

// KEYS: dedupe, seq, all, stats, busy, hold, ready, held.
// ARGV: noticePrefix, key, platform, userId, payload, createdAt (now), dueAt, ttlMs, linePrefix.
const ENQUEUE = `${SCHEDULE}
local existing = redis.call('GET', KEYS[1])
if existing then
  redis.call('HINCRBY', KEYS[4], 'deduped', 1)
  return {0, existing}
end
local id = string.format('%012d', redis.call('INCR', KEYS[2]))
local rk = ARGV[3] .. ':' .. ARGV[4]
redis.call('HSET', ARGV[1] .. id, 'id', id, 'key', ARGV[2], 'platform', ARGV[3], 'userId', ARGV[4],
  'line', rk, 'payload', ARGV[5], 'createdAt', ARGV[6], 'dueAt', ARGV[7], 'attempts', 0, 'claims', 0)
redis.call('ZADD', ARGV[9] .. rk, ARGV[7], id)
redis.call('ZADD', KEYS[3], ARGV[6], id)
redis.call('SET', KEYS[1], id, 'PX', ARGV[8])
redis.call('HINCRBY', KEYS[4], 'enqueued', 1)
schedule(ARGV[9] .. rk, rk, KEYS[5], KEYS[6], KEYS[7], KEYS[8], ARGV[6])
return {1, id}
`;

// KEYS: ready, leased, stats, busy, hold, held. ARGV: now, max, leaseUntil, worker, noticePrefix, linePrefix.
const CLAIM = `
for _, rk in ipairs(redis.call('ZRANGEBYSCORE', KEYS[6], '-inf', ARGV[1])) do
  redis.call('ZREM', KEYS[6], rk)
  local head = redis.call('ZRANGE', ARGV[6] .. rk, 0, 0, 'WITHSCORES')
  if #head > 0 then redis.call('ZADD', KEYS[1], head[2], rk) end
end
local max = tonumber(ARGV[2])
local out = {}
local function lease(id)
  local nk = ARGV[5] .. id
  redis.call('ZADD', KEYS[2], ARGV[3], id)
  redis.call('HSET', nk, 'owner', ARGV[4], 'leaseUntil', ARGV[3])
  redis.call('HINCRBY', nk, 'claims', 1)
  out[#out + 1] = redis.call('HGETALL', nk)
end
for _, id in ipairs(redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', ARGV[1], 'LIMIT', 0, max)) do
  if redis.call('EXISTS', ARGV[5] .. id) == 1 then
    redis.call('HINCRBY', KEYS[3], 'reclaimed', 1)
    lease(id)
  else
    redis.call('ZREM', KEYS[2], id)
  end
end
if #out < max then
  for _, rk in ipairs(redis.call('ZRANGE', KEYS[1], 0, max - #out - 1)) do
    redis.call('ZREM', KEYS[1], rk)
    redis.call('HDEL', KEYS[5], rk)
    local head = redis.call('ZRANGE', ARGV[6] .. rk, 0, 0)[1]
    if head then
      redis.call('HSET', KEYS[4], rk, head)
      lease(head)
    end
  end
end
return out
`;

// Checks the caller holds the lease, ends it and frees the line: rk and q are in scope after.
// KEYS: notice, leased, stats, busy, hold, ready, held. ARGV[1] id, ARGV[2] worker, ARGV[3] linePrefix,
// ARGV[4] now.
const RELEASE = `${SCHEDULE}
if redis.call('HGET', KEYS[1], 'owner') ~= ARGV[2] or not redis.call('ZSCORE', KEYS[2], ARGV[1]) then
  return 0
end
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('HDEL', KEYS[1], 'owner', 'leaseUntil')
local rk = redis.call('HGET', KEYS[1], 'line')
local q = ARGV[3] .. rk
redis.call('HDEL', KEYS[4], rk)
`;

// + KEYS[8] all.
const ACK = `${RELEASE}
redis.call('ZREM', q, ARGV[1])
redis.call('ZREM', KEYS[8], ARGV[1])
redis.call('DEL', KEYS[1])
redis.call('HINCRBY', KEYS[3], 'acked', 1)
schedule(q, rk, KEYS[4], KEYS[5], KEYS[6], KEYS[7], ARGV[4])
return 1
`;

// ARGV[5] dueAt, ARGV[6] error ('' for a postponement, which counts no attempt).
const RESCHEDULE = `${RELEASE}
redis.call('HSET', KEYS[5], rk, ARGV[5])
if ARGV[6] == '' then
  redis.call('HINCRBY', KEYS[3], 'postponed', 1)
else
  redis.call('HINCRBY', KEYS[1], 'attempts', 1)
  redis.call('HSET', KEYS[1], 'lastError', ARGV[6])
  redis.call('HINCRBY', KEYS[3], 'retried', 1)
end
schedule(q, rk, KEYS[4], KEYS[5], KEYS[6], KEYS[7], ARGV[4])
return 1
`;

// + KEYS[8] all. ARGV[5] reason, ARGV[6] inboxPrefix, ARGV[7] noticePrefix, ARGV[8] keep.
const UNDELIVERABLE = `${RELEASE}
redis.call('ZREM', q, ARGV[1])
redis.call('ZREM', KEYS[8], ARGV[1])
redis.call('HINCRBY', KEYS[1], 'attempts', 1)
redis.call('HSET', KEYS[1], 'reason', ARGV[5], 'failedAt', ARGV[4])
local inbox = ARGV[6] .. rk
redis.call('LPUSH', inbox, ARGV[1])
local keep = tonumber(ARGV[8])
for _, old in ipairs(redis.call('LRANGE', inbox, keep, -1)) do redis.call('DEL', ARGV[7] .. old) end
redis.call('LTRIM', inbox, 0, keep - 1)
redis.call('HINCRBY', KEYS[3], 'undeliverable', 1)
schedule(q, rk, KEYS[4], KEYS[5], KEYS[6], KEYS[7], ARGV[4])
return 1
`;

// Notices queued by a version before per-recipient lines (one 'due' ZSET, one 'lease' ZSET) join
// their recipients' lines, so an upgrade strands none. A notice that was leased goes back to
// waiting: at worst it is sent twice, as after any crash.
// KEYS: old due, old lease, all, busy, hold, ready, held. ARGV: noticePrefix, linePrefix, now.
const MIGRATE = `${SCHEDULE}
local lines = {}
local moved = 0
for _, old in ipairs({KEYS[1], KEYS[2]}) do
  for _, id in ipairs(redis.call('ZRANGE', old, 0, -1)) do
    local nk = ARGV[1] .. id
    local h = redis.call('HMGET', nk, 'platform', 'userId', 'dueAt', 'createdAt')
    if h[1] and h[2] and h[3] and h[4] then
      local rk = h[1] .. ':' .. h[2]
      redis.call('HSET', nk, 'line', rk)
      redis.call('HDEL', nk, 'owner', 'leaseUntil')
      redis.call('ZADD', ARGV[2] .. rk, h[3], id)
      redis.call('ZADD', KEYS[3], h[4], id)
      lines[rk] = true
      moved = moved + 1
    end
  end
  redis.call('DEL', old)
end
for rk, _ in pairs(lines) do
  schedule(ARGV[2] .. rk, rk, KEYS[4], KEYS[5], KEYS[6], KEYS[7], ARGV[3])
end
return moved
`;

// KEYS: inbox. ARGV: noticePrefix.
const CLEAR_INBOX = `
local ids = redis.call('LRANGE', KEYS[1], 0, -1)
for _, id in ipairs(ids) do redis.call('DEL', ARGV[1] .. id) end
redis.call('DEL', KEYS[1])
return #ids
`;

/** The outbox's scripts, and the layout migration each process runs once before its first claim. */
function outboxScripts(client: RedisClient, base: string, k: OutboxKeys, clock: () => number) {
  const scripts = {
    enqueue: defineLuaScript(client, ENQUEUE),
    claim: defineLuaScript(client, CLAIM),
    ack: defineLuaScript(client, ACK),
    reschedule: defineLuaScript(client, RESCHEDULE),
    undeliverable: defineLuaScript(client, UNDELIVERABLE),
    clearInbox: defineLuaScript(client, CLEAR_INBOX),
    migrate: defineLuaScript(client, MIGRATE),
  };
  // Once per process, before the first claim (see MIGRATE).
  let migrated: Promise<unknown> | undefined;
  const migrateOnce = () => {
    migrated ??= scripts.migrate
      .run(
        [`${base}due`, `${base}lease`, k.all, k.busy, k.hold, k.ready, k.held],
        [k.noticePrefix, k.linePrefix, String(clock())],
      )
      .catch((err: unknown) => {
        migrated = undefined;
        throw err;
      });
    return migrated;
  };
  return { ...scripts, migrateOnce };
}

export function createRedisOutbox(opts: RedisOutboxOptions): Outbox {
  const { client } = opts;
  const clock = opts.clock ?? Date.now;
  const dedupeTtlMs = opts.dedupeTtlMs ?? OUTBOX_DEFAULTS.dedupeTtlMs;
  const keep = opts.inboxLimit ?? OUTBOX_DEFAULTS.inboxLimit;
  const base = `${opts.prefix ?? "sb:"}ob:`;
  const k = outboxKeys(base);
  const scripts = outboxScripts(client, base, k, clock);
  const releaseKeys = (id: string) => [k.notice(id), k.leased, k.stats, k.busy, k.hold, k.ready, k.held];

  const reschedule = async (id: string, worker: string, delayMs: number, error: string) => {
    const now = clock();
    const dueAt = now + requireDelay(delayMs);
    const reply = await scripts.reschedule.run(releaseKeys(id), [
      id,
      worker,
      k.linePrefix,
      String(now),
      String(dueAt),
      error,
    ]);
    return asInt(reply, "reschedule") === 1;
  };

  return {
    async enqueue(input) {
      const now = clock();
      const p = prepareEnqueue(input, now);
      const reply = asArray(
        await scripts.enqueue.run(
          [k.dedupe(p.key), k.seq, k.all, k.stats, k.busy, k.hold, k.ready, k.held],
          [
            k.noticePrefix,
            p.key,
            p.recipient.platform,
            p.recipient.userId,
            p.payloadJson,
            String(now),
            String(p.dueAt),
            // Counted from the due time, so a notice scheduled far ahead still dedupes while it waits.
            String(Math.max(p.dueAt - now, 0) + dedupeTtlMs),
            k.linePrefix,
          ],
        ),
        "enqueue",
      );
      return { enqueued: asInt(reply[0], "enqueued flag") === 1, id: asString(reply[1], "notice id") };
    },

    async claim(input) {
      requireClaim(input);
      await scripts.migrateOnce();
      const now = input.now ?? clock();
      const reply = asArray(
        await scripts.claim.run(
          [k.ready, k.leased, k.stats, k.busy, k.hold, k.held],
          [
            String(now),
            String(input.max),
            String(now + input.leaseMs),
            input.worker,
            k.noticePrefix,
            k.linePrefix,
          ],
        ),
        "claim",
      );
      return reply.map((row) => claimedFrom(pairs(asArray(row, "claimed notice"))));
    },

    async ack(id, worker) {
      const reply = await scripts.ack.run(
        [...releaseKeys(id), k.all],
        [id, worker, k.linePrefix, String(clock())],
      );
      return asInt(reply, "ack") === 1;
    },

    retry: (id, worker, input) => reschedule(id, worker, input.delayMs, clipError(input.error) || "failed"),

    postpone: (id, worker, delayMs) => reschedule(id, worker, delayMs, ""),

    async undeliverable(id, worker, reason) {
      const reply = await scripts.undeliverable.run(
        [...releaseKeys(id), k.all],
        [
          id,
          worker,
          k.linePrefix,
          String(clock()),
          clipError(reason),
          k.inboxPrefix,
          k.noticePrefix,
          String(keep),
        ],
      );
      return asInt(reply, "undeliverable") === 1;
    },

    async clearInbox(recipient) {
      return asInt(await scripts.clearInbox.run([k.inbox(recipient)], [k.noticePrefix]), "cleared");
    },

    ...createOutboxReads(client, k, clock),
  };
}

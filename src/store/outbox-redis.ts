/**
 * The durable outbox on the shared Redis client. Every state change is one Lua script, so two
 * instances claiming at the same moment get disjoint notices and a lease can only be ended by
 * its holder.
 *
 * Layout under `<prefix>ob:`:
 *   seq                  INCR counter for notice ids
 *   n:<id>               hash: the notice (payload kept as JSON text), owner/leaseUntil while leased
 *   due                  ZSET waiting ids scored by due time (ms)
 *   lease                ZSET leased ids scored by lease expiry (ms)
 *   k:<dedupe key>       string id, expiring after dedupeTtlMs
 *   inbox:<platform>:<user>  list of undeliverable ids, newest first
 *   stats                hash of counters
 * The claim, undeliverable and clear-inbox scripts derive notice keys from ids inside Lua, so
 * this needs a single Redis (or all keys in one Cluster slot), as the rest of the store does.
 */

import { asArray, asInt, asString, defineLuaScript } from "./lua-script.ts";
import {
  type ClaimedNotice,
  clipError,
  type InboxNotice,
  inboxLimit,
  OUTBOX_DEFAULTS,
  type Outbox,
  type OutboxOptions,
  type OutboxStats,
  prepareEnqueue,
  type Recipient,
  requireClaim,
  requireDelay,
  requireText,
} from "./outbox.ts";
import type { RedisClient } from "./redis.ts";

export interface RedisOutboxOptions extends OutboxOptions {
  client: RedisClient;
  prefix?: string;
}

// KEYS: dedupe, seq, due, stats. ARGV: noticePrefix, key, platform, userId, payload, createdAt, dueAt, ttlMs.
const ENQUEUE = `
local existing = redis.call('GET', KEYS[1])
if existing then
  redis.call('HINCRBY', KEYS[4], 'deduped', 1)
  return {0, existing}
end
local id = tostring(redis.call('INCR', KEYS[2]))
redis.call('HSET', ARGV[1] .. id, 'id', id, 'key', ARGV[2], 'platform', ARGV[3], 'userId', ARGV[4],
  'payload', ARGV[5], 'createdAt', ARGV[6], 'dueAt', ARGV[7], 'attempts', 0, 'claims', 0)
redis.call('ZADD', KEYS[3], ARGV[7], id)
redis.call('SET', KEYS[1], id, 'PX', ARGV[8])
redis.call('HINCRBY', KEYS[4], 'enqueued', 1)
return {1, id}
`;

// KEYS: due, lease, stats. ARGV: now, max, leaseUntil, worker, noticePrefix.
const CLAIM = `
local max = tonumber(ARGV[2])
local out = {}
local function take(source, ids, reclaimed)
  for _, id in ipairs(ids) do
    redis.call('ZREM', source, id)
    local nk = ARGV[5] .. id
    if redis.call('EXISTS', nk) == 1 then
      redis.call('ZADD', KEYS[2], ARGV[3], id)
      redis.call('HSET', nk, 'owner', ARGV[4], 'leaseUntil', ARGV[3])
      redis.call('HINCRBY', nk, 'claims', 1)
      if reclaimed then redis.call('HINCRBY', KEYS[3], 'reclaimed', 1) end
      out[#out + 1] = redis.call('HGETALL', nk)
    end
  end
end
take(KEYS[2], redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', ARGV[1], 'LIMIT', 0, max), true)
if #out < max then
  take(KEYS[1], redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, max - #out), false)
end
return out
`;

const HOLDER_CHECK = `
if redis.call('HGET', KEYS[1], 'owner') ~= ARGV[2] or not redis.call('ZSCORE', KEYS[2], ARGV[1]) then
  return 0
end
redis.call('ZREM', KEYS[2], ARGV[1])
`;

// KEYS: notice, lease, stats. ARGV: id, worker.
const ACK = `${HOLDER_CHECK}
redis.call('DEL', KEYS[1])
redis.call('HINCRBY', KEYS[3], 'acked', 1)
return 1
`;

// KEYS: notice, lease, stats, due. ARGV: id, worker, dueAt, error.
const RETRY = `${HOLDER_CHECK}
redis.call('HDEL', KEYS[1], 'owner', 'leaseUntil')
redis.call('HINCRBY', KEYS[1], 'attempts', 1)
redis.call('HSET', KEYS[1], 'lastError', ARGV[4])
redis.call('ZADD', KEYS[4], ARGV[3], ARGV[1])
redis.call('HINCRBY', KEYS[3], 'retried', 1)
return 1
`;

// KEYS: notice, lease, stats. ARGV: id, worker, reason, failedAt, inboxPrefix, noticePrefix, keep.
const UNDELIVERABLE = `${HOLDER_CHECK}
redis.call('HDEL', KEYS[1], 'owner', 'leaseUntil')
redis.call('HINCRBY', KEYS[1], 'attempts', 1)
redis.call('HSET', KEYS[1], 'reason', ARGV[3], 'failedAt', ARGV[4])
local r = redis.call('HMGET', KEYS[1], 'platform', 'userId')
local inbox = ARGV[5] .. r[1] .. ':' .. r[2]
redis.call('LPUSH', inbox, ARGV[1])
local keep = tonumber(ARGV[7])
for _, old in ipairs(redis.call('LRANGE', inbox, keep, -1)) do redis.call('DEL', ARGV[6] .. old) end
redis.call('LTRIM', inbox, 0, keep - 1)
redis.call('HINCRBY', KEYS[3], 'undeliverable', 1)
return 1
`;

// KEYS: inbox. ARGV: noticePrefix.
const CLEAR_INBOX = `
local ids = redis.call('LRANGE', KEYS[1], 0, -1)
for _, id in ipairs(ids) do redis.call('DEL', ARGV[1] .. id) end
redis.call('DEL', KEYS[1])
return #ids
`;

function pairs(flat: unknown[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2)
    out[asString(flat[i], "field")] = asString(flat[i + 1], "value");
  return out;
}

function recipientOf(h: Record<string, string>): Recipient {
  return {
    platform: requireText(h.platform, "stored platform"),
    userId: requireText(h.userId, "stored userId"),
  };
}

const num = (v: string | undefined, what: string) => asInt(v, what);

export function createRedisOutbox(opts: RedisOutboxOptions): Outbox {
  const { client } = opts;
  const clock = opts.clock ?? Date.now;
  const dedupeTtlMs = opts.dedupeTtlMs ?? OUTBOX_DEFAULTS.dedupeTtlMs;
  const keep = opts.inboxLimit ?? OUTBOX_DEFAULTS.inboxLimit;
  const base = `${opts.prefix ?? "sb:"}ob:`;
  const k = {
    seq: `${base}seq`,
    due: `${base}due`,
    lease: `${base}lease`,
    stats: `${base}stats`,
    noticePrefix: `${base}n:`,
    notice: (id: string) => `${base}n:${id}`,
    dedupe: (key: string) => `${base}k:${key}`,
    inboxPrefix: `${base}inbox:`,
    inbox: (r: Recipient) => `${base}inbox:${r.platform}:${r.userId}`,
  };
  const scripts = {
    enqueue: defineLuaScript(client, ENQUEUE),
    claim: defineLuaScript(client, CLAIM),
    ack: defineLuaScript(client, ACK),
    retry: defineLuaScript(client, RETRY),
    undeliverable: defineLuaScript(client, UNDELIVERABLE),
    clearInbox: defineLuaScript(client, CLEAR_INBOX),
  };

  return {
    async enqueue(input) {
      const now = clock();
      const p = prepareEnqueue(input, now);
      const reply = asArray(
        await scripts.enqueue.run(
          [k.dedupe(p.key), k.seq, k.due, k.stats],
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
          ],
        ),
        "enqueue",
      );
      return { enqueued: asInt(reply[0], "enqueued flag") === 1, id: asString(reply[1], "notice id") };
    },

    async claim(input) {
      requireClaim(input);
      const now = input.now ?? clock();
      const reply = asArray(
        await scripts.claim.run(
          [k.due, k.lease, k.stats],
          [String(now), String(input.max), String(now + input.leaseMs), input.worker, k.noticePrefix],
        ),
        "claim",
      );
      return reply.map((row): ClaimedNotice => {
        const h = pairs(asArray(row, "claimed notice"));
        const claimed: ClaimedNotice = {
          id: requireText(h.id, "stored id"),
          key: requireText(h.key, "stored key"),
          recipient: recipientOf(h),
          payload: JSON.parse(asString(h.payload, "payload")),
          attempts: num(h.attempts, "attempts"),
          claims: num(h.claims, "claims"),
          createdAt: num(h.createdAt, "createdAt"),
          leaseUntil: num(h.leaseUntil, "leaseUntil"),
        };
        if (h.lastError !== undefined) claimed.lastError = h.lastError;
        return claimed;
      });
    },

    async ack(id, worker) {
      return asInt(await scripts.ack.run([k.notice(id), k.lease, k.stats], [id, worker]), "ack") === 1;
    },

    async retry(id, worker, input) {
      const delayMs = requireDelay(input.delayMs);
      const reply = await scripts.retry.run(
        [k.notice(id), k.lease, k.stats, k.due],
        [id, worker, String(clock() + delayMs), clipError(input.error)],
      );
      return asInt(reply, "retry") === 1;
    },

    async undeliverable(id, worker, reason) {
      const reply = await scripts.undeliverable.run(
        [k.notice(id), k.lease, k.stats],
        [id, worker, clipError(reason), String(clock()), k.inboxPrefix, k.noticePrefix, String(keep)],
      );
      return asInt(reply, "undeliverable") === 1;
    },

    async inbox(recipient, query) {
      const ids = await client.lRange(k.inbox(recipient), 0, inboxLimit(query) - 1);
      const rows = await Promise.all(ids.map((id) => client.hGetAll(k.notice(id))));
      const out: InboxNotice[] = [];
      for (const h of rows) {
        // Cleared between the two reads: skip rather than fail the whole listing.
        if (h.reason === undefined || h.id === undefined) continue;
        out.push({
          id: h.id,
          key: requireText(h.key, "stored key"),
          recipient: recipientOf(h),
          payload: JSON.parse(asString(h.payload, "payload")),
          reason: h.reason,
          attempts: num(h.attempts, "attempts"),
          createdAt: num(h.createdAt, "createdAt"),
          failedAt: num(h.failedAt, "failedAt"),
        });
      }
      return out;
    },

    async clearInbox(recipient) {
      return asInt(await scripts.clearInbox.run([k.inbox(recipient)], [k.noticePrefix]), "cleared");
    },

    async depth() {
      const [waiting, leased] = await Promise.all([client.zCard(k.due), client.zCard(k.lease)]);
      return waiting + leased;
    },

    async stats(now = clock()): Promise<OutboxStats> {
      const [waiting, due, leased, expiredLeases, counters] = await Promise.all([
        client.zCard(k.due),
        client.zCount(k.due, "-inf", now),
        client.zCard(k.lease),
        client.zCount(k.lease, "-inf", now),
        client.hGetAll(k.stats),
      ]);
      const counter = (name: string) => (counters[name] === undefined ? 0 : num(counters[name], name));
      return {
        waiting,
        due,
        leased,
        expiredLeases,
        enqueued: counter("enqueued"),
        deduped: counter("deduped"),
        acked: counter("acked"),
        retried: counter("retried"),
        undeliverable: counter("undeliverable"),
        reclaimed: counter("reclaimed"),
      };
    },
  };
}

/**
 * The Redis outbox's keys and what reads them without a script: decoding stored notice hashes,
 * recipients' inboxes, and the queue's depth and statistics. Reads need no atomicity beyond
 * Redis's own per-command: a notice cleared between two reads is skipped, not an error.
 */
import { asInt, asString } from "./lua-script.ts";
import {
  type ClaimedNotice,
  type InboxNotice,
  inboxLimit,
  type OutboxStats,
  type Recipient,
  recipientKey,
  requireText,
} from "./outbox.ts";
import type { RedisClient } from "./redis.ts";

/** The layout under `<prefix>ob:` described at the top of outbox-redis.ts. */
export function outboxKeys(base: string) {
  return {
    seq: `${base}seq`,
    all: `${base}all`,
    ready: `${base}ready`,
    held: `${base}held`,
    leased: `${base}leased`,
    busy: `${base}busy`,
    hold: `${base}hold`,
    stats: `${base}stats`,
    linePrefix: `${base}q:`,
    noticePrefix: `${base}n:`,
    notice: (id: string) => `${base}n:${id}`,
    dedupe: (key: string) => `${base}k:${key}`,
    inboxPrefix: `${base}inbox:`,
    inbox: (r: Recipient) => `${base}inbox:${recipientKey(r)}`,
  };
}

export type OutboxKeys = ReturnType<typeof outboxKeys>;

/** A hash as HGETALL-in-Lua returns it: field, value, field, value… */
export function pairs(flat: unknown[]): Record<string, string> {
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

export function claimedFrom(h: Record<string, string>): ClaimedNotice {
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
}

export function createOutboxReads(client: RedisClient, k: OutboxKeys, clock: () => number) {
  return {
    async inbox(recipient: Recipient, query?: { limit?: number }): Promise<InboxNotice[]> {
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

    depth: () => client.zCard(k.all),

    async nextDueAt(): Promise<number | undefined> {
      const [ready, held] = await Promise.all([client.zCard(k.ready), client.zRangeWithScores(k.held, 0, 0)]);
      return ready > 0 ? clock() : held[0]?.score;
    },

    async stats(now = clock()): Promise<OutboxStats> {
      const [all, ready, heldDue, leased, expiredLeases, oldest, counters] = await Promise.all([
        client.zCard(k.all),
        client.zCard(k.ready),
        client.zCount(k.held, "-inf", now),
        client.zCard(k.leased),
        client.zCount(k.leased, "-inf", now),
        client.zRangeWithScores(k.all, 0, 0),
        client.hGetAll(k.stats),
      ]);
      const counter = (name: string) => (counters[name] === undefined ? 0 : num(counters[name], name));
      const stats: OutboxStats = {
        waiting: all - leased,
        due: ready + heldDue,
        leased,
        expiredLeases,
        enqueued: counter("enqueued"),
        deduped: counter("deduped"),
        acked: counter("acked"),
        retried: counter("retried"),
        undeliverable: counter("undeliverable"),
        reclaimed: counter("reclaimed"),
        postponed: counter("postponed"),
      };
      if (oldest[0]) stats.oldestCreatedAt = oldest[0].score;
      return stats;
    },
  };
}

/**
 * The in-process outbox for the demo and ephemeral runs: the same states, leases and ordering
 * as the Redis one, each operation done synchronously so concurrent workers in one process see
 * disjoint claims. Payloads are kept as JSON text, as in Redis, so callers get fresh copies.
 */
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
} from "./outbox.ts";

interface NoticeRecord {
  id: string;
  key: string;
  recipient: Recipient;
  payloadJson: string;
  createdAt: number;
  dueAt: number;
  attempts: number;
  claims: number;
  lastError?: string;
  lease?: { worker: string; until: number };
  failure?: { reason: string; at: number };
}

type Counter = "enqueued" | "deduped" | "acked" | "retried" | "undeliverable" | "reclaimed";

const inboxKey = (r: Recipient) => `${r.platform}:${r.userId}`;

export function createMemoryOutbox(opts: OutboxOptions = {}): Outbox {
  const clock = opts.clock ?? Date.now;
  const dedupeTtlMs = opts.dedupeTtlMs ?? OUTBOX_DEFAULTS.dedupeTtlMs;
  const keep = opts.inboxLimit ?? OUTBOX_DEFAULTS.inboxLimit;
  const notices = new Map<string, NoticeRecord>();
  const dedupe = new Map<string, { id: string; until: number }>();
  const inboxes = new Map<string, string[]>();
  const counters: Record<Counter, number> = {
    enqueued: 0,
    deduped: 0,
    acked: 0,
    retried: 0,
    undeliverable: 0,
    reclaimed: 0,
  };
  let seq = 0;

  const queued = () => [...notices.values()].filter((n) => n.failure === undefined);
  // Same order as a Redis ZSET: by score, ties by id as a string.
  const byScore = (score: (n: NoticeRecord) => number) => (x: NoticeRecord, y: NoticeRecord) =>
    score(x) - score(y) || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0);

  function heldBy(id: string, worker: string): NoticeRecord | undefined {
    const notice = notices.get(id);
    return notice?.lease?.worker === worker ? notice : undefined;
  }

  return {
    async enqueue(input) {
      const now = clock();
      const prepared = prepareEnqueue(input, now);
      const seen = dedupe.get(prepared.key);
      if (seen && seen.until > now) {
        counters.deduped++;
        return { enqueued: false, id: seen.id };
      }
      const id = String(++seq);
      // Dedupe marks expire like Redis keys do; sweep now and then so a long run does not hoard them.
      if (seq % 1000 === 0) for (const [k, mark] of dedupe) if (mark.until <= now) dedupe.delete(k);
      notices.set(id, {
        id,
        key: prepared.key,
        recipient: prepared.recipient,
        payloadJson: prepared.payloadJson,
        createdAt: now,
        dueAt: prepared.dueAt,
        attempts: 0,
        claims: 0,
      });
      dedupe.set(prepared.key, { id, until: Math.max(now, prepared.dueAt) + dedupeTtlMs });
      counters.enqueued++;
      return { enqueued: true, id };
    },

    async claim(input) {
      requireClaim(input);
      const now = input.now ?? clock();
      const leaseUntil = now + input.leaseMs;
      const all = queued();
      const expired = all
        .filter((n) => n.lease && n.lease.until <= now)
        .sort(byScore((n) => n.lease?.until ?? 0))
        .slice(0, input.max);
      const due = all
        .filter((n) => !n.lease && n.dueAt <= now)
        .sort(byScore((n) => n.dueAt))
        .slice(0, input.max - expired.length);
      counters.reclaimed += expired.length;
      return [...expired, ...due].map((n): ClaimedNotice => {
        n.lease = { worker: input.worker, until: leaseUntil };
        n.claims++;
        const claimed: ClaimedNotice = {
          id: n.id,
          key: n.key,
          recipient: { ...n.recipient },
          payload: JSON.parse(n.payloadJson),
          attempts: n.attempts,
          claims: n.claims,
          createdAt: n.createdAt,
          leaseUntil,
        };
        if (n.lastError !== undefined) claimed.lastError = n.lastError;
        return claimed;
      });
    },

    async ack(id, worker) {
      if (!heldBy(id, worker)) return false;
      notices.delete(id);
      counters.acked++;
      return true;
    },

    async retry(id, worker, input) {
      const delayMs = requireDelay(input.delayMs);
      const notice = heldBy(id, worker);
      if (!notice) return false;
      notice.lease = undefined;
      notice.dueAt = clock() + delayMs;
      notice.attempts++;
      notice.lastError = clipError(input.error);
      counters.retried++;
      return true;
    },

    async undeliverable(id, worker, reason) {
      const notice = heldBy(id, worker);
      if (!notice) return false;
      notice.lease = undefined;
      notice.attempts++;
      notice.failure = { reason: clipError(reason), at: clock() };
      const key = inboxKey(notice.recipient);
      const inbox = [id, ...(inboxes.get(key) ?? [])];
      for (const dropped of inbox.splice(keep)) notices.delete(dropped);
      inboxes.set(key, inbox);
      counters.undeliverable++;
      return true;
    },

    async inbox(recipient, query) {
      const limit = inboxLimit(query);
      const out: InboxNotice[] = [];
      for (const id of (inboxes.get(inboxKey(recipient)) ?? []).slice(0, limit)) {
        const n = notices.get(id);
        if (!n?.failure) continue;
        out.push({
          id: n.id,
          key: n.key,
          recipient: { ...n.recipient },
          payload: JSON.parse(n.payloadJson),
          reason: n.failure.reason,
          attempts: n.attempts,
          createdAt: n.createdAt,
          failedAt: n.failure.at,
        });
      }
      return out;
    },

    async clearInbox(recipient) {
      const key = inboxKey(recipient);
      const ids = inboxes.get(key) ?? [];
      for (const id of ids) notices.delete(id);
      inboxes.delete(key);
      return ids.length;
    },

    async depth() {
      return queued().length;
    },

    async stats(now = clock()): Promise<OutboxStats> {
      const all = queued();
      const waiting = all.filter((n) => !n.lease);
      const leased = all.filter((n) => n.lease);
      return {
        waiting: waiting.length,
        due: waiting.filter((n) => n.dueAt <= now).length,
        leased: leased.length,
        expiredLeases: leased.filter((n) => (n.lease?.until ?? 0) <= now).length,
        ...counters,
      };
    },
  };
}

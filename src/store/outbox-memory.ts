/**
 * The in-process outbox for the demo and ephemeral runs: the same lines, states, leases and
 * ordering as the Redis one, each operation done synchronously so concurrent workers in one
 * process see disjoint claims. Payloads are kept as JSON text, as in Redis, so callers get fresh
 * copies.
 */
import {
  clipError,
  inboxLimit,
  noticeId,
  OUTBOX_DEFAULTS,
  type Outbox,
  type OutboxOptions,
  type OutboxStats,
  prepareEnqueue,
  recipientKey,
  requireClaim,
  requireDelay,
} from "./outbox.ts";
import { createMemoryInboxes } from "./outbox-memory-inbox.ts";
import { createMemoryLines } from "./outbox-memory-lines.ts";

type Counter = "enqueued" | "deduped" | "acked" | "retried" | "undeliverable" | "reclaimed" | "postponed";

function newCounters(): Record<Counter, number> {
  return { enqueued: 0, deduped: 0, acked: 0, retried: 0, undeliverable: 0, reclaimed: 0, postponed: 0 };
}

export function createMemoryOutbox(opts: OutboxOptions = {}): Outbox {
  const clock = opts.clock ?? Date.now;
  const dedupeTtlMs = opts.dedupeTtlMs ?? OUTBOX_DEFAULTS.dedupeTtlMs;
  const state = createMemoryLines();
  const { notices, queued, heldBy, release } = state;
  const inboxes = createMemoryInboxes(notices, opts.inboxLimit ?? OUTBOX_DEFAULTS.inboxLimit);
  const dedupe = new Map<string, { id: string; until: number }>();
  const counters = newCounters();
  let seq = 0;

  function reschedule(id: string, worker: string, delayMs: number, error?: string): boolean {
    const notice = heldBy(id, worker);
    if (!notice) return false;
    release(notice, false, clock() + delayMs);
    if (error === undefined) {
      counters.postponed++;
      return true;
    }
    notice.attempts++;
    notice.lastError = clipError(error);
    counters.retried++;
    return true;
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
      const id = noticeId(++seq);
      // Dedupe marks expire like Redis keys do; sweep now and then so a long run does not hoard them.
      if (seq % 1000 === 0) for (const [k, mark] of dedupe) if (mark.until <= now) dedupe.delete(k);
      state.add(id, prepared, now);
      dedupe.set(prepared.key, { id, until: Math.max(now, prepared.dueAt) + dedupeTtlMs });
      counters.enqueued++;
      return { enqueued: true, id };
    },

    async claim(input) {
      requireClaim(input);
      const now = input.now ?? clock();
      const leaseUntil = now + input.leaseMs;
      const out = state.reclaimExpired(input.worker, now, leaseUntil, input.max);
      counters.reclaimed += out.length;
      return [...out, ...state.claimHeads(input.worker, now, leaseUntil, input.max - out.length)];
    },

    async ack(id, worker) {
      const notice = heldBy(id, worker);
      if (!notice) return false;
      release(notice, true);
      notices.delete(id);
      counters.acked++;
      return true;
    },

    async retry(id, worker, input) {
      return reschedule(id, worker, requireDelay(input.delayMs), input.error);
    },

    async postpone(id, worker, delayMs) {
      return reschedule(id, worker, requireDelay(delayMs));
    },

    async undeliverable(id, worker, reason) {
      const notice = heldBy(id, worker);
      if (!notice) return false;
      release(notice, true);
      notice.attempts++;
      notice.failure = { reason: clipError(reason), at: clock() };
      inboxes.put(notice);
      counters.undeliverable++;
      return true;
    },

    async inbox(recipient, query) {
      return inboxes.list(recipientKey(recipient), inboxLimit(query));
    },

    async clearInbox(recipient) {
      return inboxes.clear(recipientKey(recipient));
    },

    async depth() {
      return queued().length;
    },

    async nextDueAt() {
      return state.nextReadyAt(clock());
    },

    async stats(now = clock()): Promise<OutboxStats> {
      const { oldestCreatedAt, ...queue } = state.snapshot(now);
      const stats: OutboxStats = { ...queue, ...counters };
      if (oldestCreatedAt !== undefined) stats.oldestCreatedAt = oldestCreatedAt;
      return stats;
    },
  };
}

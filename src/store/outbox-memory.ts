/**
 * The in-process outbox for the demo and ephemeral runs: the same lines, states, leases and
 * ordering as the Redis one, each operation done synchronously so concurrent workers in one
 * process see disjoint claims. Payloads are kept as JSON text, as in Redis, so callers get fresh
 * copies.
 */
import {
  type ClaimedNotice,
  clipError,
  type InboxNotice,
  inboxLimit,
  noticeId,
  OUTBOX_DEFAULTS,
  type Outbox,
  type OutboxOptions,
  type OutboxStats,
  prepareEnqueue,
  type Recipient,
  recipientKey,
  requireClaim,
  requireDelay,
} from "./outbox.ts";

interface NoticeRecord {
  id: string;
  key: string;
  line: string;
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

/** One recipient's queued notices and when the head may next be claimed. */
interface Line {
  ids: NoticeRecord[];
  /** Set while the head is leased: the line is not claimable. */
  busy: boolean;
  /** Not claimable before this (a retry's or postponement's delay). */
  holdUntil: number;
}

type Counter = "enqueued" | "deduped" | "acked" | "retried" | "undeliverable" | "reclaimed" | "postponed";

// Same order as the Redis line ZSETs: by due time, ties by id as a string.
const byDue = (x: NoticeRecord, y: NoticeRecord) => x.dueAt - y.dueAt || (x.id < y.id ? -1 : 1);

/**
 * Puts a notice in its place in a line kept sorted by `byDue`. Searched from the tail: a new
 * notice is nearly always the latest, so a member with thousands queued costs one comparison,
 * not a re-sort of the whole line per enqueue.
 */
function insertByDue(ids: NoticeRecord[], record: NoticeRecord): void {
  let at = ids.length;
  while (at > 0 && byDue(ids[at - 1] as NoticeRecord, record) > 0) at--;
  ids.splice(at, 0, record);
}

export function createMemoryOutbox(opts: OutboxOptions = {}): Outbox {
  const clock = opts.clock ?? Date.now;
  const dedupeTtlMs = opts.dedupeTtlMs ?? OUTBOX_DEFAULTS.dedupeTtlMs;
  const keep = opts.inboxLimit ?? OUTBOX_DEFAULTS.inboxLimit;
  const notices = new Map<string, NoticeRecord>();
  const lines = new Map<string, Line>();
  const dedupe = new Map<string, { id: string; until: number }>();
  const inboxes = new Map<string, string[]>();
  const counters: Record<Counter, number> = {
    enqueued: 0,
    deduped: 0,
    acked: 0,
    retried: 0,
    undeliverable: 0,
    reclaimed: 0,
    postponed: 0,
  };
  let seq = 0;

  const queued = () => [...notices.values()].filter((n) => n.failure === undefined);
  /** When a line's head may be claimed, or undefined while it is busy or empty. */
  const readyAt = (line: Line): number | undefined => {
    const head = line.ids[0];
    return line.busy || !head ? undefined : Math.max(head.dueAt, line.holdUntil);
  };

  const headDue = (line: Line) => (line.ids[0] as NoticeRecord).dueAt;

  function heldBy(id: string, worker: string): NoticeRecord | undefined {
    const notice = notices.get(id);
    return notice?.lease?.worker === worker && notice.failure === undefined ? notice : undefined;
  }

  /** Ends a lease; with `remove` the notice also leaves its line (acked or given up). */
  function release(notice: NoticeRecord, remove: boolean, holdUntil = 0): void {
    notice.lease = undefined;
    const line = lines.get(notice.line);
    if (!line) return;
    line.busy = false;
    line.holdUntil = holdUntil;
    if (remove) {
      const at = line.ids.indexOf(notice);
      if (at >= 0) line.ids.splice(at, 1);
    }
    if (line.ids.length === 0) lines.delete(notice.line);
  }

  function lease(n: NoticeRecord, worker: string, until: number): ClaimedNotice {
    n.lease = { worker, until };
    n.claims++;
    const claimed: ClaimedNotice = {
      id: n.id,
      key: n.key,
      recipient: { ...n.recipient },
      payload: JSON.parse(n.payloadJson),
      attempts: n.attempts,
      claims: n.claims,
      createdAt: n.createdAt,
      leaseUntil: until,
    };
    if (n.lastError !== undefined) claimed.lastError = n.lastError;
    return claimed;
  }

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
      const record: NoticeRecord = {
        id,
        key: prepared.key,
        line: recipientKey(prepared.recipient),
        recipient: prepared.recipient,
        payloadJson: prepared.payloadJson,
        createdAt: now,
        dueAt: prepared.dueAt,
        attempts: 0,
        claims: 0,
      };
      notices.set(id, record);
      const line = lines.get(record.line) ?? { ids: [], busy: false, holdUntil: 0 };
      insertByDue(line.ids, record);
      lines.set(record.line, line);
      dedupe.set(prepared.key, { id, until: Math.max(now, prepared.dueAt) + dedupeTtlMs });
      counters.enqueued++;
      return { enqueued: true, id };
    },

    async claim(input) {
      requireClaim(input);
      const now = input.now ?? clock();
      const leaseUntil = now + input.leaseMs;
      const expired = queued()
        .filter((n) => n.lease && n.lease.until <= now)
        .sort((x, y) => (x.lease?.until ?? 0) - (y.lease?.until ?? 0) || (x.id < y.id ? -1 : 1))
        .slice(0, input.max);
      counters.reclaimed += expired.length;
      const out = expired.map((n) => lease(n, input.worker, leaseUntil));
      const ready = [...lines.entries()]
        .map(([key, line]) => ({ key, line, at: readyAt(line) }))
        .filter((r): r is { key: string; line: Line; at: number } => r.at !== undefined && r.at <= now)
        // Oldest head first, as in Redis: a line held back for pacing is not sent behind everyone who queued meanwhile.
        .sort((x, y) => headDue(x.line) - headDue(y.line) || (x.key < y.key ? -1 : 1))
        .slice(0, input.max - out.length);
      for (const { line } of ready) {
        const head = line.ids[0] as NoticeRecord;
        line.busy = true;
        line.holdUntil = 0;
        out.push(lease(head, input.worker, leaseUntil));
      }
      return out;
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
      const inbox = [id, ...(inboxes.get(notice.line) ?? [])];
      for (const dropped of inbox.splice(keep)) notices.delete(dropped);
      inboxes.set(notice.line, inbox);
      counters.undeliverable++;
      return true;
    },

    async inbox(recipient, query) {
      const limit = inboxLimit(query);
      const out: InboxNotice[] = [];
      for (const id of (inboxes.get(recipientKey(recipient)) ?? []).slice(0, limit)) {
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
      const key = recipientKey(recipient);
      const ids = inboxes.get(key) ?? [];
      for (const id of ids) notices.delete(id);
      inboxes.delete(key);
      return ids.length;
    },

    async depth() {
      return queued().length;
    },

    async nextDueAt() {
      // Same answer as Redis: now when some line may go now, else the earliest held line.
      let next: number | undefined;
      for (const line of lines.values()) {
        const at = readyAt(line);
        if (at !== undefined && (next === undefined || at < next)) next = at;
      }
      return next === undefined ? undefined : Math.max(next, clock());
    },

    async stats(now = clock()): Promise<OutboxStats> {
      const all = queued();
      const leased = all.filter((n) => n.lease);
      const stats: OutboxStats = {
        waiting: all.length - leased.length,
        due: [...lines.values()].filter((l) => (readyAt(l) ?? Number.POSITIVE_INFINITY) <= now).length,
        leased: leased.length,
        expiredLeases: leased.filter((n) => (n.lease?.until ?? 0) <= now).length,
        ...counters,
      };
      if (all.length > 0) stats.oldestCreatedAt = all.reduce((m, n) => Math.min(m, n.createdAt), now);
      return stats;
    },
  };
}

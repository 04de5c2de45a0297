/**
 * The in-process outbox's state: every notice by id, and each recipient's line of them in due
 * order. Only a line's head is ever leased, and a line with a leased head (`busy`) or a pending
 * delay (`holdUntil`) is not claimable — that is what keeps one notice per recipient in flight.
 */
import { type ClaimedNotice, type prepareEnqueue, type Recipient, recipientKey } from "./outbox.ts";

export interface NoticeRecord {
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
export interface Line {
  ids: NoticeRecord[];
  /** Set while the head is leased: the line is not claimable. */
  busy: boolean;
  /** Not claimable before this (a retry's or postponement's delay). */
  holdUntil: number;
}

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

/** When a line's head may be claimed, or undefined while it is busy or empty. */
export function readyAt(line: Line): number | undefined {
  const head = line.ids[0];
  return line.busy || !head ? undefined : Math.max(head.dueAt, line.holdUntil);
}

const headDue = (line: Line) => (line.ids[0] as NoticeRecord).dueAt;

/** Leases a notice to `worker` and hands out a fresh copy of it. */
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

export function createMemoryLines() {
  const notices = new Map<string, NoticeRecord>();
  const lines = new Map<string, Line>();

  return {
    notices,
    lines,

    /** Notices waiting or leased (not given up on). */
    queued: () => [...notices.values()].filter((n) => n.failure === undefined),

    /** A new notice at its place in its recipient's line. */
    add(id: string, prepared: ReturnType<typeof prepareEnqueue>, now: number): void {
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
      notices.set(record.id, record);
      const line = lines.get(record.line) ?? { ids: [], busy: false, holdUntil: 0 };
      insertByDue(line.ids, record);
      lines.set(record.line, line);
    },

    /** The notice if `worker` holds its lease, so only the holder can end it. */
    heldBy(id: string, worker: string): NoticeRecord | undefined {
      const notice = notices.get(id);
      return notice?.lease?.worker === worker && notice.failure === undefined ? notice : undefined;
    },

    /** Ends a lease; with `remove` the notice also leaves its line (acked or given up). */
    release(notice: NoticeRecord, remove: boolean, holdUntil = 0): void {
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
    },

    /** Leases up to `max` notices whose lease ran out (their holder probably crashed), oldest lease first. */
    reclaimExpired(worker: string, now: number, until: number, max: number): ClaimedNotice[] {
      return [...notices.values()]
        .filter((n) => n.failure === undefined && n.lease && n.lease.until <= now)
        .sort((x, y) => (x.lease?.until ?? 0) - (y.lease?.until ?? 0) || (x.id < y.id ? -1 : 1))
        .slice(0, max)
        .map((n) => lease(n, worker, until));
    },

    /** Leases the heads of up to `max` claimable lines, marking those lines busy. */
    claimHeads(worker: string, now: number, until: number, max: number): ClaimedNotice[] {
      const ready = [...lines.entries()]
        .map(([key, line]) => ({ key, line, at: readyAt(line) }))
        .filter((r): r is { key: string; line: Line; at: number } => r.at !== undefined && r.at <= now)
        // Oldest head first, as in Redis: a line held back for pacing is not sent behind everyone who queued meanwhile.
        .sort((x, y) => headDue(x.line) - headDue(y.line) || (x.key < y.key ? -1 : 1))
        .slice(0, max);
      return ready.map(({ line }) => {
        line.busy = true;
        line.holdUntil = 0;
        return lease(line.ids[0] as NoticeRecord, worker, until);
      });
    },

    /** Now when some line may go now, else when the earliest held line may; undefined when none waits. */
    nextReadyAt(now: number): number | undefined {
      let next: number | undefined;
      for (const line of lines.values()) {
        const at = readyAt(line);
        if (at !== undefined && (next === undefined || at < next)) next = at;
      }
      return next === undefined ? undefined : Math.max(next, now);
    },

    /** The queue's gauges for stats (the counters are the outbox's). */
    snapshot(now: number) {
      const all = [...notices.values()].filter((n) => n.failure === undefined);
      const leased = all.filter((n) => n.lease);
      return {
        waiting: all.length - leased.length,
        due: [...lines.values()].filter((l) => (readyAt(l) ?? Number.POSITIVE_INFINITY) <= now).length,
        leased: leased.length,
        expiredLeases: leased.filter((n) => (n.lease?.until ?? 0) <= now).length,
        oldestCreatedAt: all.length > 0 ? all.reduce((m, n) => Math.min(m, n.createdAt), now) : undefined,
      };
    },
  };
}

/**
 * The persisted notification queue behind every DM: at-least-once delivery, deduplicated by
 * key, claimed under a lease so several instances never send the same notice at once, and a
 * crashed worker's notices become claimable again when their lease runs out.
 *
 * Each recipient has their own line, in order of due time (then enqueue order), and only the
 * head of a line can be claimed, and only while no other notice of that recipient is leased: at
 * most one notice per recipient is in flight, so a member's DMs go out in order at any
 * concurrency, and a recipient who must wait (a platform's per-chat pace, a retry) holds up only
 * their own line.
 *
 * Life of a notice: enqueue → waiting (due at `notBefore`) → claim → leased to one worker →
 *   ack           done, removed (its dedupe key is remembered for `dedupeTtlMs`)
 *   retry         waiting again at the head of its line, due after `delayMs`, attempts + 1
 *   postpone      the same without counting an attempt (the sender was not ready for it yet)
 *   undeliverable moved to the recipient's inbox (e.g. closed DMs), read later with a command
 * Only the current lease holder may ack, retry or give up; anyone else gets `false`.
 *
 * Times are epoch milliseconds from the implementation's clock unless passed explicitly.
 */

export interface Recipient {
  platform: string;
  userId: string;
}

export interface EnqueueInput {
  /** Dedupe key, e.g. `trade:<tradeId>:completed:dm`: enqueuing it again adds nothing. */
  key: string;
  recipient: Recipient;
  /** JSON-serializable; what the notifier renders. */
  payload: unknown;
  /** Not deliverable before this time (epoch ms or Date); now when omitted. */
  notBefore?: number | Date;
}

export interface EnqueueResult {
  enqueued: boolean;
  /** The new notice's id, or the id the key was first enqueued under. */
  id: string;
}

export interface ClaimInput {
  worker: string;
  max: number;
  leaseMs: number;
  now?: number;
}

export interface ClaimedNotice {
  id: string;
  key: string;
  recipient: Recipient;
  payload: unknown;
  /** Failed delivery attempts so far. */
  attempts: number;
  /** Times it was claimed, this claim included. */
  claims: number;
  createdAt: number;
  leaseUntil: number;
  lastError?: string;
}

export interface RetryInput {
  delayMs: number;
  /** Why this attempt failed; kept (truncated) on the notice for the next attempt's logs. */
  error: string;
}

export interface InboxNotice {
  id: string;
  key: string;
  recipient: Recipient;
  payload: unknown;
  reason: string;
  attempts: number;
  createdAt: number;
  failedAt: number;
}

export interface OutboxStats {
  /** Not leased, due now or later. */
  waiting: number;
  /** Recipients whose next notice can be claimed now. */
  due: number;
  leased: number;
  /** Leased, but the lease ran out: the holder probably crashed. */
  expiredLeases: number;
  /** Counters since the queue was created. */
  enqueued: number;
  deduped: number;
  acked: number;
  retried: number;
  undeliverable: number;
  reclaimed: number;
  /** Postponed without counting an attempt (pacing). */
  postponed: number;
  /** When the oldest notice still queued (waiting or leased) was enqueued; undefined when empty. */
  oldestCreatedAt?: number;
}

export interface Outbox {
  enqueue(input: EnqueueInput): Promise<EnqueueResult>;
  /** Up to `max` due notices (expired leases first, then by due time), leased to `worker`. */
  claim(input: ClaimInput): Promise<ClaimedNotice[]>;
  ack(id: string, worker: string): Promise<boolean>;
  retry(id: string, worker: string, input: RetryInput): Promise<boolean>;
  /** Back to the head of its line, claimable after `delayMs`; no attempt is counted. */
  postpone(id: string, worker: string, delayMs: number): Promise<boolean>;
  undeliverable(id: string, worker: string, reason: string): Promise<boolean>;
  /** Undeliverable notices for one recipient, newest first. */
  inbox(recipient: Recipient, opts?: { limit?: number }): Promise<InboxNotice[]>;
  /** Empties a recipient's inbox; returns how many notices it held. */
  clearInbox(recipient: Recipient): Promise<number>;
  /** Notices not yet acked or given up on: waiting plus leased. */
  depth(): Promise<number>;
  /** The earliest time some recipient's next notice becomes claimable; undefined when none waits. */
  nextDueAt(): Promise<number | undefined>;
  stats(now?: number): Promise<OutboxStats>;
}

export interface OutboxOptions {
  /** Epoch ms; `Date.now` by default. */
  clock?: () => number;
  /** How long an enqueued key keeps deduplicating after the notice was due; 7 days by default. */
  dedupeTtlMs?: number;
  /** Undeliverable notices kept per recipient (oldest dropped first); 100 by default. */
  inboxLimit?: number;
}

export const OUTBOX_DEFAULTS = { dedupeTtlMs: 7 * 24 * 3600 * 1000, inboxLimit: 100, inboxReadLimit: 20 };

const MAX_ERROR_CHARS = 500;

/** Checks an enqueue request and serializes its payload, so a bad one never half-enters the queue. */
export function prepareEnqueue(
  input: EnqueueInput,
  now: number,
): { key: string; recipient: Recipient; payloadJson: string; dueAt: number } {
  requireText(input.key, "key");
  requireText(input.recipient?.platform, "recipient.platform");
  requireText(input.recipient?.userId, "recipient.userId");
  const payloadJson = JSON.stringify(input.payload);
  if (payloadJson === undefined) throw new TypeError("payload must be JSON-serializable");
  const notBefore = input.notBefore instanceof Date ? input.notBefore.getTime() : input.notBefore;
  if (notBefore !== undefined && !Number.isSafeInteger(notBefore))
    throw new RangeError("notBefore must be epoch ms");
  return {
    key: input.key,
    recipient: { platform: input.recipient.platform, userId: input.recipient.userId },
    payloadJson,
    dueAt: notBefore ?? now,
  };
}

export function requireClaim(input: ClaimInput): void {
  requireText(input.worker, "worker");
  if (!Number.isSafeInteger(input.max) || input.max < 1)
    throw new RangeError("max must be a positive integer");
  if (!Number.isSafeInteger(input.leaseMs) || input.leaseMs < 1)
    throw new RangeError("leaseMs must be positive");
  if (input.now !== undefined && !Number.isSafeInteger(input.now))
    throw new RangeError("now must be epoch ms");
}

export function requireDelay(delayMs: number): number {
  if (!Number.isSafeInteger(delayMs) || delayMs < 0)
    throw new RangeError("delayMs must be a non-negative integer");
  return delayMs;
}

/** A recipient's line in the queue: platform and user, which never contain each other's separator. */
export const recipientKey = (r: Recipient): string => `${r.platform}:${r.userId}`;

/** Ids are zero-padded so that ordering them as strings orders them by age. */
export const noticeId = (seq: number): string => String(seq).padStart(12, "0");

export function clipError(error: string): string {
  return error.length > MAX_ERROR_CHARS ? `${error.slice(0, MAX_ERROR_CHARS)}…` : error;
}

export function requireText(value: unknown, what: string): string {
  if (typeof value !== "string" || value.length === 0)
    throw new TypeError(`${what} must be a non-empty string`);
  return value;
}

export function inboxLimit(opts?: { limit?: number }): number {
  const limit = opts?.limit ?? OUTBOX_DEFAULTS.inboxReadLimit;
  if (!Number.isSafeInteger(limit) || limit < 1) throw new RangeError("limit must be a positive integer");
  return limit;
}

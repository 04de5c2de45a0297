/**
 * The outbox as the core sees it: the persisted notification queue behind every DM, the port
 * the store implements twice (Redis and memory). At-least-once delivery, deduplicated by key,
 * claimed under a lease so several instances never send the same notice at once, and a crashed
 * worker's notices become claimable again when their lease runs out.
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
import type { Recipient } from "./notifications.ts";

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

/**
 * What the two outbox implementations (`outbox-redis.ts`, `outbox-memory.ts`) share: their
 * options, defaults and input checks. The port they implement, with the life of a notice, is
 * `core/outbox.ts`; it is re-exported here so each implementation imports its contract and its
 * helpers from one place.
 */

export type { Recipient } from "../core/notifications.ts";
export type {
  ClaimedNotice,
  ClaimInput,
  EnqueueInput,
  EnqueueResult,
  InboxNotice,
  Outbox,
  OutboxStats,
  RetryInput,
} from "../core/outbox.ts";

import type { Recipient } from "../core/notifications.ts";
import type { ClaimInput, EnqueueInput } from "../core/outbox.ts";

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

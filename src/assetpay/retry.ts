/**
 * When a failed AssetPay call is tried again: only what is safe to send twice, only on failures
 * that may pass (no answer, 5xx, a short 429), with exponential backoff and jitter so several
 * instances do not retry in step.
 */
import type { AssetPayError } from "./errors.ts";

export interface RetryPolicy {
  /** Total tries of an idempotent call, the first included. */
  attempts: number;
  /** First backoff step; doubled per retry, with jitter. */
  baseDelayMs: number;
  /** A longer `Retry-After` is not waited out: the error is thrown with `retryAfter` set. */
  maxRetryAfterSeconds: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 3, baseDelayMs: 250, maxRetryAfterSeconds: 10 };

/** Milliseconds to wait before the next try, or undefined to give up with this error. */
export function retryDelay(
  policy: RetryPolicy,
  call: { idempotent: boolean; signal?: AbortSignal },
  err: AssetPayError,
  attempt: number,
): number | undefined {
  if (!call.idempotent || attempt >= policy.attempts || call.signal?.aborted) return undefined;
  if (err.key === "SDK_ABORTED") return undefined;
  const transient = err.status === 0 || err.status >= 500;
  if (err.status !== 429 && !transient) return undefined;
  if (err.retryAfter !== undefined) {
    return err.retryAfter <= policy.maxRetryAfterSeconds ? err.retryAfter * 1000 : undefined;
  }
  // A 429 without Retry-After: the bucket is shared by every member, hammering it helps no one.
  if (err.status === 429) return undefined;
  const ceiling = policy.baseDelayMs * 2 ** (attempt - 1);
  return Math.round(ceiling / 2 + (ceiling / 2) * Math.random());
}

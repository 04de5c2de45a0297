/** The wait before the next attempt of a delivery: doubling from the base, capped at a minute. */

export interface RetryPolicy {
  /** Attempts in all (ordinary deliveries). */
  attempts: number;
  /** The wait after the first failed attempt. */
  baseDelayMs: number;
}

const MAX_BACKOFF_MS = 60_000;

export function backoff(retry: RetryPolicy, attempt: number): number {
  return Math.min(MAX_BACKOFF_MS, retry.baseDelayMs * 2 ** (attempt - 1));
}

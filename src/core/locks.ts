/**
 * Short-lived mutual exclusion as the core needs it (a double-clicked confirm starts one trade).
 * An optimisation only: leases expire, so nothing whose correctness matters may rely on one.
 * `store/locks.ts` implements it on Redis and in memory.
 */
export interface Locks {
  /** Takes the lock if free; returns a release function, or null when someone else holds it. */
  tryAcquire(key: string, leaseMs: number): Promise<(() => Promise<void>) | null>;
  /** Waits (polling, up to waitMs) for the lock, runs fn, releases. Throws LockTimeout if never free. */
  withLock<T>(key: string, fn: () => Promise<T>, opts?: { leaseMs?: number; waitMs?: number }): Promise<T>;
}

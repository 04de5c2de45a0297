/**
 * Delivery order and in-flight bookkeeping: the jobs of one trade run one after another, in the
 * order they were queued, and every job (queued or tracked) counts as in flight until it settles.
 */

export interface DeliveryQueue {
  /** Runs `job` after every earlier job of the same key. */
  enqueue<T>(key: string, job: () => Promise<T>): Promise<T>;
  /** Counts `p` as in flight until it settles. */
  track<T>(p: Promise<T>): Promise<T>;
  busy(): boolean;
  /** Resolves once nothing is in flight (including what starts meanwhile). */
  idle(): Promise<void>;
  /** Forgets the per-key order (in-flight jobs still finish). */
  reset(): void;
}

const settledOf = (p: Promise<unknown>): Promise<void> =>
  p.then(
    () => undefined,
    () => undefined,
  );

export function createDeliveryQueue(): DeliveryQueue {
  let chains = new Map<string, Promise<void>>();
  const inflight = new Set<Promise<unknown>>();

  const track = <T>(p: Promise<T>): Promise<T> => {
    const settled = settledOf(p);
    inflight.add(settled);
    settled.then(() => inflight.delete(settled));
    return p;
  };

  return {
    enqueue(key, job) {
      const prev = chains.get(key) ?? Promise.resolve();
      const run = prev.then(job);
      const settled = settledOf(run);
      chains.set(key, settled);
      settled.then(() => {
        if (chains.get(key) === settled) chains.delete(key);
      });
      return track(run);
    },
    track,
    busy: () => inflight.size > 0,
    async idle() {
      while (inflight.size > 0) await Promise.all([...inflight]);
    },
    reset() {
      chains = new Map();
    },
  };
}

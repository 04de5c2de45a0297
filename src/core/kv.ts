/**
 * The slice of Keyv the core uses, so the core depends on behaviour, not on a library: a
 * Keyv instance (memory or @keyv/redis) satisfies it as is.
 */
export interface KV {
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown, ttlMs?: number): Promise<unknown>;
  delete(key: string): Promise<unknown>;
  /** Several keys in one call (one MGET on Redis); absent keys come back undefined. */
  getMany?(keys: string[]): Promise<unknown[]>;
}

/** Reads several keys at once: one round trip where the store can, parallel gets otherwise. */
export function getMany(kv: KV, keys: string[]): Promise<unknown[]> {
  return kv.getMany ? kv.getMany(keys) : Promise.all(keys.map((key) => kv.get(key)));
}

export async function getAs<T>(kv: KV, key: string): Promise<T | undefined> {
  const value = await kv.get(key);
  return value === undefined || value === null ? undefined : (value as T);
}

/**
 * One key that concurrent writers may race on, changed only from the value a writer last saw:
 * exactly one of two writers swapping from the same value wins, on every instance.
 */
export interface AtomicKV {
  get(key: string): Promise<string | undefined>;
  /** Replaces `expected` (undefined: the key is absent) by `next` (undefined: delete); false when the key held something else. */
  compareAndSwap(
    key: string,
    expected: string | undefined,
    next: string | undefined,
    ttlMs?: number,
  ): Promise<boolean>;
}

/**
 * The slice of Keyv the core uses, so the core depends on behaviour, not on a library: a
 * Keyv instance (memory or @keyv/redis) satisfies it as is.
 */
export interface KV {
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown, ttlMs?: number): Promise<unknown>;
  delete(key: string): Promise<unknown>;
}

export async function getAs<T>(kv: KV, key: string): Promise<T | undefined> {
  const value = await kv.get(key);
  return value === undefined || value === null ? undefined : (value as T);
}

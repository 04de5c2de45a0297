/**
 * Plain key-value state (sessions, links, pickers, intents…), one Keyv per namespace. With a
 * Redis client every namespace is a @keyv/redis adapter on that same client, its keys under
 * `<prefix>kv:<namespace>:`; without one each namespace is an in-process Map. Values are
 * JSON-serializable objects; TTLs are milliseconds.
 *
 * Store errors are thrown, not swallowed: Keyv's default of answering `undefined` on a Redis
 * failure would read as "no such intent" and reject a member's paid withdrawal.
 *
 * The Redis client belongs to the caller: do not call `disconnect()` on these Keyv instances
 * (it would close the shared client); close the client once at shutdown.
 */
import KeyvRedis from "@keyv/redis";
import { Keyv } from "keyv";
import type { RedisClient } from "./redis.ts";

export const KV_NAMESPACES = [
  "sessions",
  "links",
  "tokens",
  "pickers",
  "members",
  "intents",
  "misc",
] as const;

export type KvNamespace = (typeof KV_NAMESPACES)[number];

export type KeyValueStores = Record<KvNamespace, Keyv<unknown>>;

export interface KeyValueStoreOptions {
  redis?: RedisClient;
  /** Redis key prefix shared with the ledger and outbox; `sb:` by default. */
  prefix?: string;
}

/**
 * Plain JSON both ways. Keyv's default serializer walks every value looking for Buffers and
 * BigInts, which we never store, and showed up as the largest cost of a callback in profiles.
 */
const json = {
  serialize: (data: unknown) => JSON.stringify(data),
  deserialize: (data: string) => JSON.parse(data),
};

export function createKeyValueStores(opts: KeyValueStoreOptions = {}): KeyValueStores {
  const prefix = opts.prefix ?? "sb:";
  const make = (ns: KvNamespace): Keyv<unknown> => {
    if (!opts.redis) return new Keyv<unknown>({ namespace: ns, throwOnErrors: true, ...json });
    const namespace = `${prefix}kv:${ns}`;
    const adapter = new KeyvRedis<unknown>(opts.redis, {
      namespace,
      keyPrefixSeparator: ":",
      throwOnErrors: true,
    });
    // Keyv pushes its own namespace onto the adapter, so it must be the same one, and Keyv must
    // not prefix again (the adapter already does): the README's "double prefixing" fix.
    return new Keyv<unknown>({
      store: adapter,
      namespace,
      useKeyPrefix: false,
      throwOnErrors: true,
      ...json,
    });
  };
  // Each adapter subscribes a listener per client event on the shared client; raise the leak
  // warning threshold by exactly what this adds, so it still fires for a real leak.
  if (opts.redis) opts.redis.setMaxListeners(opts.redis.getMaxListeners() + KV_NAMESPACES.length);
  const stores = {} as KeyValueStores;
  for (const ns of KV_NAMESPACES) stores[ns] = make(ns);
  return stores;
}

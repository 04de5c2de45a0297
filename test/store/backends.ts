/**
 * The two store backends the shared suites run against. Each `fresh*` call gives an empty
 * store plus a `peer`: a second handle on the same data (for Redis a second client, as a
 * second bot instance would have; in memory the same object, as one process shares it).
 */
import { randomUUID } from "node:crypto";
import { inject } from "vitest";
import type { Ledger } from "../../src/core/ledger.ts";
import { createKeyValueStores, type KeyValueStores } from "../../src/store/kv.ts";
import { createMemoryLedger } from "../../src/store/ledger-memory.ts";
import { createRedisLedger } from "../../src/store/ledger-redis.ts";
import type { Outbox, OutboxOptions } from "../../src/store/outbox.ts";
import { createMemoryOutbox } from "../../src/store/outbox-memory.ts";
import { createRedisOutbox } from "../../src/store/outbox-redis.ts";
import { connectRedis, type RedisClient } from "../../src/store/redis.ts";

export interface Pair<T> {
  store: T;
  peer: T;
  prefix: string;
}

export interface Backend {
  readonly name: "memory" | "redis";
  start(): Promise<void>;
  stop(): Promise<void>;
  freshLedger(clock?: () => Date): Pair<Ledger>;
  freshOutbox(opts?: OutboxOptions): Pair<Outbox>;
  /** An outbox on data already under `prefix` (Redis only), as a new version would open it. */
  freshOutboxAt(prefix: string, opts?: OutboxOptions): Outbox;
  freshKv(): Pair<KeyValueStores>;
  /** The first Redis client, for tests that inspect the raw layout. */
  client(): RedisClient | undefined;
}

/** A random key prefix, so parallel test files and runs never see each other's keys. */
export const freshPrefix = (): string => `t:${randomUUID().slice(0, 8)}:`;

export function memoryBackend(): Backend {
  return {
    name: "memory",
    async start() {},
    async stop() {},
    freshLedger(clock) {
      const store = createMemoryLedger({ clock });
      return { store, peer: store, prefix: "" };
    },
    freshOutbox(opts) {
      const store = createMemoryOutbox(opts);
      return { store, peer: store, prefix: "" };
    },
    freshOutboxAt() {
      throw new Error("the memory outbox has no data to reopen");
    },
    freshKv() {
      const store = createKeyValueStores();
      return { store, peer: store, prefix: "" };
    },
    client: () => undefined,
  };
}

export function redisBackend(): Backend {
  let clients: [RedisClient, RedisClient] | undefined;
  const both = (): [RedisClient, RedisClient] => {
    if (!clients) throw new Error("redis backend not started");
    return clients;
  };
  return {
    name: "redis",
    async start() {
      const url = inject("redisUrl");
      clients = [await connectRedis(url), await connectRedis(url)];
    },
    async stop() {
      await Promise.all(both().map((c) => c.close()));
      clients = undefined;
    },
    freshLedger(clock) {
      const prefix = freshPrefix();
      const [a, b] = both();
      return {
        store: createRedisLedger({ client: a, prefix, clock }),
        peer: createRedisLedger({ client: b, prefix, clock }),
        prefix,
      };
    },
    freshOutbox(opts) {
      const prefix = freshPrefix();
      const [a, b] = both();
      return {
        store: createRedisOutbox({ ...opts, client: a, prefix }),
        peer: createRedisOutbox({ ...opts, client: b, prefix }),
        prefix,
      };
    },
    freshOutboxAt(prefix, opts) {
      return createRedisOutbox({ ...opts, client: both()[0], prefix });
    },
    freshKv() {
      const prefix = freshPrefix();
      const [a, b] = both();
      return {
        store: createKeyValueStores({ redis: a, prefix }),
        peer: createKeyValueStores({ redis: b, prefix }),
        prefix,
      };
    },
    client: () => both()[0],
  };
}

export const BACKENDS: [string, () => Backend][] = [
  ["memory", memoryBackend],
  ["redis", redisBackend],
];

/** A clock the test moves by hand, so leases and backoffs are checked without sleeping. */
export function manualClock(start = Date.UTC(2026, 0, 1, 12)): {
  now: () => number;
  advance: (ms: number) => void;
} {
  let t = start;
  return {
    now: () => t,
    advance: (ms) => {
      t += ms;
    },
  };
}

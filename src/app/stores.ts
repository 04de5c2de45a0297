/**
 * The app's stores: on Redis in `redis` mode (an own connection, or one the caller passes), in
 * process memory otherwise, each store behind the same core port either way. A layout left by
 * an older version is migrated here, before any service reads it.
 */
import type { Logger } from "pino";
import type { Config } from "../config.ts";
import type { CommunityLog } from "../core/community-log.ts";
import type { Ledger } from "../core/ledger.ts";
import type { TradeBook } from "../core/trade-book.ts";
import { EXIT_CODES, StartupFailure } from "../failures.ts";
import type { Health } from "../http/health.ts";
import { createMemoryCommunityLog, createRedisCommunityLog } from "../store/community-log.ts";
import { createMemoryDashboardReads } from "../store/dashboard-reads-memory.ts";
import { createRedisDashboardReads } from "../store/dashboard-reads-redis.ts";
import { createKeyValueStores } from "../store/kv.ts";
import { createMemoryAtomicKv, createRedisAtomicKv } from "../store/kv-atomic.ts";
import { migrateLayout } from "../store/layout-migration.ts";
import { createMemoryLedger } from "../store/ledger-memory.ts";
import { createRedisLedger } from "../store/ledger-redis.ts";
import { createMemoryLocks, createRedisLocks } from "../store/locks.ts";
import { createMemoryOutbox } from "../store/outbox-memory.ts";
import { createRedisOutbox } from "../store/outbox-redis.ts";
import { connectRedis, type RedisClient } from "../store/redis.ts";
import { createMemorySlotStore, createRedisSlotStore } from "../store/send-slots.ts";
import { createMemoryTradeBook } from "../store/trade-book-memory.ts";
import { createRedisTradeBook } from "../store/trade-book-redis.ts";

export type Stores = Awaited<ReturnType<typeof openStores>>;

export async function openStores(
  config: Config,
  opts: { redis: RedisClient | undefined; prefix: string; logger: Logger; health: Health },
) {
  const { prefix } = opts;
  let redis = opts.redis;
  const ownsRedis = redis === undefined && config.store.mode === "redis";
  if (!redis && config.store.mode === "redis") redis = await connectOwnRedis(config.store, opts.logger);
  watchStore(opts.health, redis);

  const kv = createKeyValueStores(redis ? { redis, prefix } : { prefix });
  const memoryLedger = redis ? undefined : createMemoryLedger();
  const rawLedger = redis ? createRedisLedger({ client: redis, prefix }) : (memoryLedger as Ledger);
  const rawBook: TradeBook = redis
    ? createRedisTradeBook({ client: redis, prefix, legacy: kv.intents })
    : createMemoryTradeBook({ ledger: memoryLedger as NonNullable<typeof memoryLedger> });
  const community: CommunityLog = redis
    ? createRedisCommunityLog(redis, prefix, kv.misc)
    : createMemoryCommunityLog();
  const claims = redis
    ? createRedisAtomicKv(redis, kv.links, prefix, "links")
    : createMemoryAtomicKv(kv.links);
  if (redis) await migrateLayout({ redis, prefix, members: kv.members, links: kv.links, claims });
  return {
    redis,
    ownsRedis,
    kv,
    rawLedger,
    rawBook,
    community,
    claims,
    outbox: redis ? createRedisOutbox({ client: redis, prefix }) : createMemoryOutbox(),
    locks: redis ? createRedisLocks(redis, prefix) : createMemoryLocks(),
    sendSlots: redis ? createRedisSlotStore(redis, prefix) : createMemorySlotStore(),
    dashboardReads: redis ? createRedisDashboardReads(redis, prefix) : createMemoryDashboardReads(rawLedger),
  };
}

/** Redis connection for the process; an unreachable Redis at start is a one-line failure. */
async function connectOwnRedis(
  store: Extract<Config["store"], { mode: "redis" }>,
  logger: Logger,
): Promise<RedisClient> {
  // The client's own per-attempt warnings would repeat every few seconds during an outage; the
  // health component below reports it once and then every 30 s instead.
  const quiet = logger.child({ component: "redis" }, { level: "error" });
  try {
    return await connectRedis(store.redisUrl, quiet, {
      initialTimeoutMs: store.connectTimeoutSeconds * 1000,
    });
  } catch (err) {
    throw new StartupFailure(
      EXIT_CODES.redisUnreachable,
      `Redis is unreachable: ${(err as Error).message}`,
      "start Redis or correct REDIS_URL (REDIS_CONNECT_TIMEOUT_SECONDS sets how long to wait)",
    );
  }
}

function watchStore(health: Health, redis: RedisClient | undefined): void {
  const store = health.component("store", { up: true });
  if (!redis) return;
  redis.on("ready", () => store.up());
  redis.on("error", (err: unknown) => {
    const reason = err instanceof Error ? err.message : String(err);
    store.down(
      `Redis is unreachable (${reason}); balances cannot move until it is back — check Redis and REDIS_URL`,
    );
  });
}

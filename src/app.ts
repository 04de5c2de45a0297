/**
 * The composition root: builds every part from a Config, with no module-level singletons, so
 * tests, the demo and `main.ts` all get the same app by calling `createApp`.
 */
import type { Logger } from "pino";
import { request } from "undici";
import { type AssetPayClient, createAssetPayClient } from "./assetpay/client.ts";
import type { TokenStore } from "./assetpay/token-cache.ts";
import { type Config, secretValues } from "./config.ts";
import { type Accounts, createAccounts } from "./core/accounts.ts";
import { type Admin, createAdmin } from "./core/admin.ts";
import { type CommunityLog, createCommunityLog } from "./core/community-log.ts";
import type { Ledger } from "./core/ledger.ts";
import { createMembers, type Members } from "./core/members.ts";
import type { NoticeQueue, Recipient } from "./core/notifications.ts";
import { createOutboxWorker, type Notifier, type OutboxWorker } from "./core/outbox-worker.ts";
import type { SlotStore } from "./core/pacing.ts";
import { createPickers, type Pickers } from "./core/picker.ts";
import { createReconciler, type Reconciler } from "./core/reconciler.ts";
import { createSettlement, type Settlement } from "./core/settlement.ts";
import { createSwitches, type Switches } from "./core/switches.ts";
import { createTradeRecords, type TradeRecords } from "./core/trade-records.ts";
import { createTrading, type Trading } from "./core/trading.ts";
import { createCallbackHandler } from "./http/callbacks.ts";
import { instrumentLedger } from "./http/instrumented-ledger.ts";
import { createMetrics, type Metrics } from "./http/metrics.ts";
import { createHttpListener, type HttpListener } from "./http/server.ts";
import { createLogger } from "./log.ts";
import { createKeyValueStores, type KeyValueStores } from "./store/kv.ts";
import { createMemoryLedger } from "./store/ledger-memory.ts";
import { createRedisLedger } from "./store/ledger-redis.ts";
import { createMemoryLocks, createRedisLocks, type Locks } from "./store/locks.ts";
import type { Outbox } from "./store/outbox.ts";
import { createMemoryOutbox } from "./store/outbox-memory.ts";
import { createRedisOutbox } from "./store/outbox-redis.ts";
import { connectRedis, type RedisClient } from "./store/redis.ts";
import { createMemorySlotStore, createRedisSlotStore } from "./store/send-slots.ts";
import { createMemoryTradeIndex, createRedisTradeIndex, type TradeIndex } from "./store/trade-index.ts";
import { createI18n, type I18n } from "./ui/i18n.ts";

/** Everything a command handler or platform adapter may use: the core's services. */
export interface Core {
  config: Config;
  logger: Logger;
  i18n: I18n;
  client: AssetPayClient;
  members: Members;
  accounts: Accounts;
  trading: Trading;
  admin: Admin;
  ledger: Ledger;
  records: TradeRecords;
  switches: Switches;
  community: CommunityLog;
  outbox: Outbox;
  settlement: Settlement;
  reconciler: Reconciler;
  metrics: Metrics;
  kv: KeyValueStores;
  locks: Locks;
}

export interface App {
  core: Core;
  http: HttpListener;
  worker: OutboxWorker;
  /** Send-slot timelines the platforms pace on (shared through Redis between instances). */
  sendSlots: SlotStore;
  /** Registers a platform's notifier; call before `start`. */
  addNotifier(notifier: Notifier): void;
  /** Starts the listener, the outbox worker and the reconciler; resolves with the listener's URL. */
  start(): Promise<{ url: string; port: number }>;
  /** Graceful: stop taking callbacks, finish in-flight work and sends, close Redis. */
  stop(): Promise<void>;
}

export interface AppOverrides {
  logger?: Logger;
  /** Key prefix in Redis (tests give each app its own). */
  redisPrefix?: string;
  /** Reuse an existing Redis client (tests, several apps on one client). */
  redis?: RedisClient;
  /** Shorter polling for tests. */
  outboxPollMs?: number;
  now?: () => number;
}

export async function createApp(config: Config, overrides: AppOverrides = {}): Promise<App> {
  const logger =
    overrides.logger ??
    createLogger({ level: config.log.level, name: "skinbridge", secrets: secretValues(config) });
  const prefix = overrides.redisPrefix ?? "sb:";

  let redis: RedisClient | undefined = overrides.redis;
  const ownsRedis = redis === undefined && config.store.mode === "redis";
  if (!redis && config.store.mode === "redis") redis = await connectRedis(config.store.redisUrl, logger);

  const kv = createKeyValueStores(redis ? { redis, prefix } : { prefix });
  const rawLedger = redis ? createRedisLedger({ client: redis, prefix }) : createMemoryLedger();
  const outbox = redis ? createRedisOutbox({ client: redis, prefix }) : createMemoryOutbox();
  const locks = redis ? createRedisLocks(redis, prefix) : createMemoryLocks();
  const index: TradeIndex = redis ? createRedisTradeIndex(redis, prefix) : createMemoryTradeIndex();

  const sendSlots = redis ? createRedisSlotStore(redis, prefix) : createMemorySlotStore();

  const metrics = createMetrics({ outbox: (now) => outbox.stats(now) });
  const ledger = instrumentLedger(rawLedger, metrics);
  const i18n = createI18n({
    defaultLocale: config.i18n.defaultLocale,
    onMissing: (problem) => logger.warn({ problem }, "translation problem"),
  });

  const client = createAssetPayClient({
    baseUrl: config.assetpay.baseUrl,
    apiKey: config.assetpay.apiKey,
    apiSecret: config.assetpay.apiSecret,
    ...(config.assetpay.merchantId !== undefined ? { merchantId: config.assetpay.merchantId } : {}),
    logger,
    tokenCache: kv.tokens as unknown as TokenStore,
    onResponse: (info) =>
      metrics.apiLatency.observe(
        { operation: info.operation, status: String(info.status) },
        info.durationMs / 1000,
      ),
  });

  const members = createMembers(kv.members);
  const accounts = createAccounts({ kv: kv.links, client });
  const records = createTradeRecords(kv.intents);
  const pickers: Pickers = createPickers(kv.pickers, { ttlSeconds: config.picker.ttlSeconds });
  const switches = createSwitches(kv.misc);
  const community = createCommunityLog(kv.misc);

  let worker: OutboxWorker | undefined;
  const queue: NoticeQueue = {
    async enqueue(input) {
      const r = await outbox.enqueue(input);
      if (r.enqueued) worker?.kick();
      return r;
    },
  };
  const adminRecipients: Recipient[] = [
    ...(config.discord?.adminUserIds ?? []).map((userId) => ({ platform: "discord", userId })),
    ...(config.telegram?.adminUserIds ?? []).map((userId) => ({ platform: "telegram", userId })),
  ];
  const settlement = createSettlement({
    ledger,
    records,
    queue,
    locks,
    members,
    index,
    logger,
    instantCredit: config.assetpay.instantCredit,
    feeBps: config.feeBps,
    adminRecipients,
    withdrawalsPaused: () => switches.isPaused("withdrawals"),
    community,
  });
  const trading = createTrading({
    client,
    accounts,
    members,
    pickers,
    records,
    index,
    locks,
    ledger,
    switches,
    logger,
    feeBps: config.feeBps,
    instantCredit: config.assetpay.instantCredit,
    ...(config.assetpay.autoCancelMinutes !== undefined
      ? { autoCancelMinutes: config.assetpay.autoCancelMinutes }
      : {}),
  });
  const admin = createAdmin({ ledger, members, accounts, records, switches });
  const reconciler = createReconciler({ client, index, records, settlement, logger });

  const http = createHttpListener({ logger });
  http.route(
    "POST",
    config.http.callbackPath,
    createCallbackHandler({
      settlement,
      secret: config.assetpay.apiSecret,
      ...(config.assetpay.previousApiSecret !== undefined
        ? { previousSecret: config.assetpay.previousApiSecret }
        : {}),
      toleranceSeconds: config.assetpay.callbackToleranceSeconds,
      deliveries: kv.misc,
      logger: logger.child({ component: "callbacks" }),
      metrics,
      ...(overrides.now ? { now: overrides.now } : {}),
    }),
  );
  http.route("GET", "/healthz", async () => {
    const checks: Record<string, string> = {};
    try {
      if (redis) await redis.ping();
      else await kv.misc.get("healthz");
      checks.store = "ok";
    } catch {
      checks.store = "down";
    }
    try {
      const res = await request(`${config.assetpay.baseUrl}/health`, {
        headersTimeout: 2_000,
        bodyTimeout: 2_000,
      });
      await res.body.dump();
      checks.assetpay = res.statusCode < 500 ? "ok" : `status ${res.statusCode}`;
    } catch {
      checks.assetpay = "unreachable";
    }
    const ok = Object.values(checks).every((v) => v === "ok");
    return { status: ok ? 200 : 503, body: { status: ok ? "ok" : "degraded", checks } };
  });
  http.route("GET", "/metrics", async () => ({
    status: 200,
    body: await metrics.render(),
    headers: { "content-type": metrics.registry.contentType },
  }));

  const notifiers: Notifier[] = [];
  worker = createOutboxWorker({
    outbox,
    members,
    notifiers,
    logger: logger.child({ component: "outbox" }),
    defaultLocale: config.i18n.defaultLocale,
    concurrency: config.outbox.concurrency,
    ...(overrides.outboxPollMs !== undefined ? { pollMs: overrides.outboxPollMs } : {}),
    onResult: (outcome, platform) => metrics.outboxDeliveries.inc({ outcome, platform }),
  });
  const theWorker = worker;

  const core: Core = {
    config,
    logger,
    i18n,
    client,
    members,
    accounts,
    trading,
    admin,
    ledger,
    records,
    switches,
    community,
    outbox,
    settlement,
    reconciler,
    metrics,
    kv,
    locks,
  };

  let started = false;
  return {
    core,
    http,
    worker: theWorker,
    sendSlots,
    addNotifier(notifier) {
      // The worker reads the list by platform when it is built; keep it one list.
      notifiers.push(notifier);
    },
    async start() {
      const bound = await http.listen(config.http.port, config.http.host);
      theWorker.start();
      if (config.reconcile.intervalSeconds > 0) reconciler.start(config.reconcile.intervalSeconds * 1000);
      started = true;
      logger.info({ url: bound.url, callbackPath: config.http.callbackPath }, "skinbridge listening");
      return bound;
    },
    async stop() {
      if (started) await http.close();
      await reconciler.stop();
      await theWorker.stop();
      await client.close();
      if (ownsRedis && redis) await redis.close();
    },
  };
}

/**
 * The composition root: builds every part from a Config, with no module-level singletons, so
 * tests, the demo and `main.ts` all get the same app by calling `createApp`.
 */
import type { Logger } from "pino";
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
import { createPickers, type Pickers } from "./core/picker.ts";
import { createReconciler, type Reconciler } from "./core/reconciler.ts";
import { createSettlement, type Settlement } from "./core/settlement.ts";
import { createSwitches, type Switches } from "./core/switches.ts";
import { createTradeRecords, type TradeRecords } from "./core/trade-records.ts";
import { createTrading, type Trading } from "./core/trading.ts";
import { EXIT_CODES, listenFailure, StartupFailure } from "./failures.ts";
import { createCallbackHandler } from "./http/callbacks.ts";
import { addHealthRoutes, createHealth, type Health } from "./http/health.ts";
import { createAssetPayHealth } from "./http/health-assetpay.ts";
import { instrumentLedger } from "./http/instrumented-ledger.ts";
import { createMetrics, type Metrics } from "./http/metrics.ts";
import { addMetricsRoutes } from "./http/metrics-access.ts";
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
  /** Readiness: each dependency (the store, each chat platform) marks itself up or down here. */
  health: Health;
}

export interface App {
  core: Core;
  http: HttpListener;
  worker: OutboxWorker;
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

  const health = createHealth({
    logger,
    ...(overrides.now ? { now: overrides.now } : {}),
    assetpay: createAssetPayHealth({
      baseUrl: config.assetpay.baseUrl,
      ...(overrides.now ? { now: overrides.now } : {}),
    }),
  });
  let redis: RedisClient | undefined = overrides.redis;
  const ownsRedis = redis === undefined && config.store.mode === "redis";
  if (!redis && config.store.mode === "redis") redis = await connectOwnRedis(config.store, logger);
  watchStore(health, redis);

  const kv = createKeyValueStores(redis ? { redis, prefix } : { prefix });
  const rawLedger = redis ? createRedisLedger({ client: redis, prefix }) : createMemoryLedger();
  const outbox = redis ? createRedisOutbox({ client: redis, prefix }) : createMemoryOutbox();
  const locks = redis ? createRedisLocks(redis, prefix) : createMemoryLocks();
  const index: TradeIndex = redis ? createRedisTradeIndex(redis, prefix) : createMemoryTradeIndex();

  const metrics = createMetrics({ outboxDepth: () => outbox.depth() });
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

  const http = createHttpListener({ logger, maxConnections: config.http.maxConnections });
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
  addHealthRoutes(http, health);
  const metricsListener = addMetricsRoutes(http, metrics, config.metrics, logger);

  const notifiers: Notifier[] = [];
  worker = createOutboxWorker({
    outbox,
    members,
    notifiers,
    logger: logger.child({ component: "outbox" }),
    defaultLocale: config.i18n.defaultLocale,
    concurrency: config.outbox.concurrency,
    ...(overrides.outboxPollMs !== undefined ? { pollMs: overrides.outboxPollMs } : {}),
    onResult: (outcome) => metrics.outboxDeliveries.inc({ outcome }),
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
    health,
  };

  let started = false;
  return {
    core,
    http,
    worker: theWorker,
    addNotifier(notifier) {
      // The worker reads the list by platform when it is built; keep it one list.
      notifiers.push(notifier);
    },
    async start() {
      const bound = await listenOrFail(
        () => http.listen(config.http.port, config.http.host),
        "the listener",
        "HTTP_PORT",
      );
      started = true;
      if (metricsListener && config.metrics.port !== undefined) {
        const port = config.metrics.port;
        await listenOrFail(
          () => metricsListener.listen(port, config.metrics.host),
          "the metrics listener",
          "METRICS_PORT",
        );
      }
      theWorker.start();
      if (config.reconcile.intervalSeconds > 0) reconciler.start(config.reconcile.intervalSeconds * 1000);
      health.start();
      logger.info({ url: bound.url, callbackPath: config.http.callbackPath }, "skinbridge listening");
      logCallbackUrl(config, logger);
      return bound;
    },
    async stop() {
      health.stop();
      if (started) await Promise.all([http.close(), metricsListener?.close()]);
      await reconciler.stop();
      await theWorker.stop();
      await client.close();
      if (ownsRedis && redis) await redis.close();
    },
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

async function listenOrFail<T>(listen: () => Promise<T>, what: string, portVariable: string): Promise<T> {
  try {
    return await listen();
  } catch (err) {
    throw listenFailure(err, what, portVariable) ?? err;
  }
}

/** The URL to paste into AssetPay's dashboard, or why there is none. */
function logCallbackUrl(config: Config, logger: Logger): void {
  if (config.http.publicUrl === undefined) {
    logger.warn(
      "PUBLIC_URL is not set: AssetPay cannot reach the callback URL and refuses withdrawals; set it (see README, HTTPS)",
    );
    return;
  }
  const url = `${config.http.publicUrl}${config.http.callbackPath}`;
  logger.info({ callbackUrl: url }, `callback URL for the AssetPay dashboard: ${url}`);
}

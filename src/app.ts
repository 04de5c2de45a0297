/**
 * The composition root: builds every part from a Config, with no module-level singletons, so
 * tests, the demo and `main.ts` all get the same app by calling `createApp`.
 */
import type { Logger } from "pino";
import { type AssetPayClient, createAssetPayClient } from "./assetpay/client.ts";
import type { TokenStore } from "./assetpay/token-cache.ts";
import { createAuditChannel } from "./audit/audit-channel.ts";
import { auditAdmin } from "./audit/audited-admin.ts";
import { auditTradeBook } from "./audit/audited-book.ts";
import { auditLedger } from "./audit/audited-ledger.ts";
import { type Config, secretValues } from "./config.ts";
import { type Accounts, createAccounts } from "./core/accounts.ts";
import { type Admin, createAdmin } from "./core/admin.ts";
import type { AuditChannel } from "./core/audit-events.ts";
import { type ChatChoices, createChatChoices } from "./core/chat-choices.ts";
import type { CommunityLog } from "./core/community-log.ts";
import { createDashboard, type Dashboard } from "./core/dashboard/dashboard.ts";
import { withMemberDirectory } from "./core/dashboard/member-directory.ts";
import { withRecentTrades } from "./core/dashboard/recent-trades.ts";
import { createIdentities, type Identities } from "./core/identities.ts";
import type { Ledger } from "./core/ledger.ts";
import type { Locks } from "./core/locks.ts";
import { createMarketSearch, type MarketSearch } from "./core/market-search.ts";
import { createMembers, type Members, memberIdOf, parseMemberId } from "./core/members.ts";
import { createNoticeRouter } from "./core/notice-routing.ts";
import type { Notice, NoticeQueue, Recipient } from "./core/notifications.ts";
import type { Outbox } from "./core/outbox.ts";
import { createOutboxWorker, type Notifier, type OutboxWorker } from "./core/outbox-worker.ts";
import type { SlotStore } from "./core/pacing.ts";
import { createPickers, type Pickers } from "./core/picker.ts";
import { createReceipts, type Receipts } from "./core/receipts.ts";
import { createReconciler, type Reconciler } from "./core/reconciler.ts";
import { createSettlement, type Settlement } from "./core/settlement.ts";
import { createSteamSignIn, type SteamSignIn, signInKey } from "./core/steam-signin.ts";
import { createSwitches, type Switches } from "./core/switches.ts";
import type { TradeBook } from "./core/trade-book.ts";
import { createTradeRecords, type TradeRecords } from "./core/trade-records.ts";
import { createTrading, type Trading } from "./core/trading.ts";
import { createUnlinking, type Unlinking } from "./core/unlinking.ts";
import { EXIT_CODES, listenFailure, StartupFailure } from "./failures.ts";
import { timeApprovals } from "./http/approval-timing.ts";
import { createCallbackHandler } from "./http/callbacks.ts";
import { mountDashboard } from "./http/dashboard/routes.ts";
import { addHealthRoutes, createHealth, type Health } from "./http/health.ts";
import { createAssetPayHealth } from "./http/health-assetpay.ts";
import { instrumentLedger, instrumentTradeBook } from "./http/instrumented-ledger.ts";
import { createMetrics, type Metrics } from "./http/metrics.ts";
import { addMetricsRoutes } from "./http/metrics-access.ts";
import { createHttpListener, type HttpListener } from "./http/server.ts";
import { addSteamSignInRoutes } from "./http/steam-signin.ts";
import { createLogger } from "./log.ts";
import { createSteamOpenId } from "./steam/openid.ts";
import { createMemoryCommunityLog, createRedisCommunityLog } from "./store/community-log.ts";
import { createMemoryDashboardReads } from "./store/dashboard-reads-memory.ts";
import { createRedisDashboardReads } from "./store/dashboard-reads-redis.ts";
import { createKeyValueStores, type KeyValueStores } from "./store/kv.ts";
import { createMemoryAtomicKv, createRedisAtomicKv } from "./store/kv-atomic.ts";
import { migrateLayout } from "./store/layout-migration.ts";
import { createMemoryLedger } from "./store/ledger-memory.ts";
import { createRedisLedger } from "./store/ledger-redis.ts";
import { createMemoryLocks, createRedisLocks } from "./store/locks.ts";
import { createMemoryOutbox } from "./store/outbox-memory.ts";
import { createRedisOutbox } from "./store/outbox-redis.ts";
import { connectRedis, type RedisClient } from "./store/redis.ts";
import { createMemorySlotStore, createRedisSlotStore } from "./store/send-slots.ts";
import { createMemoryTradeBook } from "./store/trade-book-memory.ts";
import { createRedisTradeBook, migrateLegacyWatch } from "./store/trade-book-redis.ts";
import { createI18n, type I18n } from "./ui/i18n.ts";
import { memberLabel } from "./ui/member-label.ts";
import { auditLine } from "./ui/views/audit-views.ts";

/**
 * Everything a platform adapter, the dashboard or a test may use: the core's services. Command
 * handlers see only the slice `CommandServices` names (src/core/command-services.ts).
 */
export interface Core {
  config: Config;
  logger: Logger;
  i18n: I18n;
  client: AssetPayClient;
  members: Members;
  accounts: Accounts;
  /** Unlinking a Steam account, refused while locked or while a trade is in flight. */
  unlinking: Unlinking;
  trading: Trading;
  /** The market search /withdraw, giveaways, /price and autocomplete share (CS2 and Rust). */
  market: MarketSearch;
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
  /** The web dashboard's sign-in, sessions, audit, solvency and paged reads. */
  dashboard: Dashboard;
  /** Market suggestions and cancel buttons a chat message offers, remembered for its buttons. */
  choices: ChatChoices;
  /** Which wallet a chat identity acts for (one person on Discord and Telegram: one wallet). */
  identities: Identities;
  /** Steam sign-in for /link; undefined when STEAM_SIGNIN is off. */
  signIn: SteamSignIn | undefined;
  /** Readiness: each dependency (the store, each chat platform) marks itself up or down here. */
  health: Health;
  /** The moderators' audit channel: platforms add their channel or chat as a sink. */
  audit: AuditChannel;
  /** Where each trade's receipt card is, for the notifiers to edit it as the trade moves. */
  receipts: Receipts;
}

export interface App {
  core: Core;
  /** The settlement store (for crash and stall tests; commands use core services). */
  book: TradeBook;
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
  /** The dashboard's clock (sign-in link and session expiry, solvency samples); `now` by default. */
  dashboardNow?: () => number;
  /** How long audit events gather before a post (tests shorten it). */
  auditFlushMs?: number;
}

/** A moderators' alert names the member by the name they go by, not the internal id. */
async function withMemberName<T extends { payload: Notice }>(members: Members, input: T): Promise<T> {
  const id = input.payload.memberId;
  if (id === undefined || input.payload.memberName !== undefined) return input;
  const displayName = await members.nameOf(id);
  return displayName ? { ...input, payload: { ...input.payload, memberName: displayName } } : input;
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
  const memoryLedger = redis ? undefined : createMemoryLedger();
  const rawLedger = redis ? createRedisLedger({ client: redis, prefix }) : (memoryLedger as Ledger);
  const rawBook: TradeBook = redis
    ? createRedisTradeBook({ client: redis, prefix, legacy: kv.intents })
    : createMemoryTradeBook({ ledger: memoryLedger as NonNullable<typeof memoryLedger> });
  const community: CommunityLog = redis
    ? createRedisCommunityLog(redis, prefix, kv.misc)
    : createMemoryCommunityLog();
  const outbox = redis ? createRedisOutbox({ client: redis, prefix }) : createMemoryOutbox();
  const locks = redis ? createRedisLocks(redis, prefix) : createMemoryLocks();

  const sendSlots = redis ? createRedisSlotStore(redis, prefix) : createMemorySlotStore();

  const metrics = createMetrics({ outbox: (now) => outbox.stats(now) });
  const i18n = createI18n({
    defaultLocale: config.i18n.defaultLocale,
    onMissing: (problem) => logger.warn({ problem }, "translation problem"),
  });
  const dashboardReads = redis
    ? createRedisDashboardReads(redis, prefix)
    : createMemoryDashboardReads(rawLedger);
  const members = withMemberDirectory(createMembers(kv.members), dashboardReads);
  // The moderators' audit channel sees every applied move; it posts only once a platform has
  // added the channel or chat the community configured.
  const audit = createAuditChannel({
    logger: logger.child({ component: "audit" }),
    ...(overrides.auditFlushMs !== undefined ? { flushMs: overrides.auditFlushMs } : {}),
    async format(event) {
      const locale = config.i18n.defaultLocale;
      const ids = event.kind === "money" ? [event.entry.memberId, event.entry.actor] : [event.actor];
      if (event.kind === "lock") ids.push(event.memberId);
      const names = new Map<string, string>();
      for (const id of ids) if (id) names.set(id, await memberLabel(members, i18n, locale, id));
      return auditLine(i18n, locale, event, (id) => names.get(id) ?? id);
    },
  });
  const ledger = auditLedger(instrumentLedger(rawLedger, metrics), audit);
  const book = auditTradeBook(instrumentTradeBook(rawBook, metrics), audit, overrides.now);

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

  const claims = redis
    ? createRedisAtomicKv(redis, kv.links, prefix, "links")
    : createMemoryAtomicKv(kv.links);
  if (redis) await migrateLayout({ redis, prefix, members: kv.members, links: kv.links, claims });
  const accounts = createAccounts({ kv: kv.links, claims, client });
  const records = withRecentTrades(createTradeRecords(book, overrides.now), dashboardReads);
  const pickers: Pickers = createPickers(kv.pickers, {
    ttlSeconds: config.picker.ttlSeconds,
    ...(overrides.now ? { now: overrides.now } : {}),
  });
  const switches = createSwitches(kv.misc);

  let worker: OutboxWorker | undefined;
  let routeNotice: (recipient: Recipient, fromTrade: boolean) => Promise<Recipient> = async (recipient) =>
    recipient;
  const queue: NoticeQueue = {
    async enqueue({ fromTrade, ...input }) {
      // Independent reads (the name goes in the payload, the route picks the recipient): together.
      const [named, recipient] = await Promise.all([
        withMemberName(members, input),
        routeNotice(input.recipient, fromTrade === true),
      ]);
      const r = await outbox.enqueue({ ...named, recipient });
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
    book,
    queue,
    members,
    community,
    logger,
    policy: {
      instantCredit: config.assetpay.instantCredit,
      feeBps: config.feeBps,
      adminRecipients,
      now: overrides.now ?? Date.now,
      reversalWatchMs: config.reconcile.reversalWatchDays * 24 * 3600 * 1000,
      reversalRecheckMs: config.reconcile.reversalRecheckMinutes * 60_000,
    },
    withdrawalsPaused: () => switches.isPaused("withdrawals"),
  });
  const market = createMarketSearch({ client, accounts, feeBps: config.feeBps });
  const trading = createTrading({
    client,
    accounts,
    market,
    members,
    pickers,
    records,
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
  const identities = createIdentities({ kv: kv.links, claims, ledger, records, members });
  // A person with one wallet on several platforms is told where they chose, else where the trade
  // was started, else where they were last; on the other platform when DMs are closed there.
  const noticeRouter = createNoticeRouter({ identities, members });
  routeNotice = async (recipient, fromTrade) => {
    const addressed = memberIdOf(recipient);
    const to = parseMemberId(await noticeRouter({ to: addressed, fromTrade }));
    return to && memberIdOf(to) !== addressed
      ? { ...recipient, platform: to.platform, userId: to.userId }
      : recipient;
  };
  const admin = auditAdmin(
    createAdmin({
      ledger,
      members,
      accounts,
      records,
      switches,
      identities,
      merchantWallet: () =>
        client.walletBalance().catch((err: unknown) => {
          logger.warn({ err }, "wallet balance unavailable");
          return undefined;
        }),
    }),
    audit,
  );
  const choices = createChatChoices(kv.sessions, config.picker.ttlSeconds);
  const reconciler = createReconciler({
    client,
    book,
    records,
    settlement,
    logger,
    ...(overrides.now ? { now: overrides.now } : {}),
  });

  const http = createHttpListener({ logger, maxConnections: config.http.maxConnections });
  const signIn =
    config.steam.signIn === "off" || config.http.publicUrl === undefined
      ? undefined
      : createSteamSignIn({
          policy: config.steam.signIn,
          publicUrl: config.http.publicUrl,
          key: signInKey(config.assetpay.apiSecret),
          kv: kv.sessions,
          once: redis
            ? createRedisAtomicKv(redis, kv.sessions, prefix, "sessions")
            : createMemoryAtomicKv(kv.sessions),
          openid: createSteamOpenId({ baseUrl: config.steam.openIdUrl }),
          accounts,
          identities,
          ...(overrides.now ? { now: overrides.now } : {}),
        });
  if (signIn)
    addSteamSignInRoutes(http, { signIn, i18n, logger: logger.child({ component: "steam-signin" }) });
  http.route(
    "POST",
    config.http.callbackPath,
    createCallbackHandler({
      settlement: timeApprovals(settlement, metrics),
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

  let boundUrl: string | undefined;
  const dashboard = createDashboard({
    settings: {
      ...config.dashboard,
      publicUrl: config.http.publicUrl,
      listenPort: config.http.port,
      sessionSecret: config.assetpay.apiSecret,
      adminUserIds: {
        discord: config.discord?.adminUserIds ?? [],
        telegram: config.telegram?.adminUserIds ?? [],
      },
    },
    kv: kv.misc,
    ledger,
    reads: dashboardReads,
    // Everything the reconciler still watches; completed trades watched for a reversal are
    // filtered out by their phase.
    inFlight: { list: () => book.due(Number.MAX_SAFE_INTEGER, 10_000) },
    wallet: () =>
      client.walletBalance().catch((err: unknown) => {
        logger.warn({ err }, "wallet balance unavailable");
        return undefined;
      }),
    onGap: (gap) => metrics.solvencyGap.set(gap),
    boundUrl: () => boundUrl,
    now: overrides.dashboardNow ?? overrides.now ?? Date.now,
  });

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
    unlinking: createUnlinking({ accounts, members, records }),
    trading,
    market,
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
    dashboard,
    choices,
    identities,
    signIn,
    health,
    audit,
    receipts: createReceipts(kv.misc, overrides.now),
  };
  mountDashboard(http, {
    dashboard,
    ledger,
    members,
    accounts,
    records,
    community,
    outbox,
    i18n,
    logger,
    locale: config.i18n.defaultLocale,
    secureCookies: config.http.publicUrl?.startsWith("https:") ?? false,
  });
  let sampler: NodeJS.Timeout | undefined;

  let started = false;
  return {
    core,
    book,
    http,
    worker: theWorker,
    sendSlots,
    addNotifier(notifier) {
      // The worker reads the list by platform when it is built; keep it one list.
      notifiers.push(notifier);
    },
    async start() {
      if (redis) await migrateLegacyWatch(redis, prefix);
      // Work a crash left between a settlement commit and its notices: done before listening.
      await settlement.drain();
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
      boundUrl = bound.url;
      if (config.dashboard.sampleMinutes > 0) {
        // The first sample waits one interval: start-up makes no AssetPay call for it.
        const sample = () =>
          dashboard.solvency.sample().catch((err: unknown) => logger.warn({ err }, "solvency sample failed"));
        sampler = setInterval(sample, config.dashboard.sampleMinutes * 60_000);
        sampler.unref();
      }
      theWorker.start();
      if (config.reconcile.intervalSeconds > 0) reconciler.start(config.reconcile.intervalSeconds * 1000);
      health.start();
      logger.info({ url: bound.url, callbackPath: config.http.callbackPath }, "skinbridge listening");
      logCallbackUrl(config, logger);
      return bound;
    },
    async stop() {
      if (sampler) clearInterval(sampler);
      health.stop();
      if (started) await Promise.all([http.close(), metricsListener?.close()]);
      // Marks done the after-commit work this instance carried out since its last commit.
      if (started) await settlement.drain();
      await reconciler.stop();
      await theWorker.stop();
      await audit.stop();
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

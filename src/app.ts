/**
 * The composition root: builds every part from a Config, with no module-level singletons, so
 * tests, the demo and `main.ts` all get the same app by calling `createApp`.
 */
import type { Logger } from "pino";
import { createAppAudit } from "./app/audit.ts";
import { createAppHttp } from "./app/http-routes.ts";
import { createLifecycle } from "./app/lifecycle.ts";
import { createServices, walletOrNothing } from "./app/services.ts";
import { openStores } from "./app/stores.ts";
import { type AssetPayClient, createAssetPayClient } from "./assetpay/client.ts";
import type { TokenStore } from "./assetpay/token-cache.ts";
import { auditTradeBook } from "./audit/audited-book.ts";
import { auditLedger } from "./audit/audited-ledger.ts";
import { type Config, secretValues } from "./config.ts";
import type { Accounts } from "./core/accounts.ts";
import type { Admin } from "./core/admin.ts";
import type { AuditChannel } from "./core/audit-events.ts";
import type { ChatChoices } from "./core/chat-choices.ts";
import type { CommunityLog } from "./core/community-log.ts";
import { createDashboard, type Dashboard } from "./core/dashboard/dashboard.ts";
import { withMemberDirectory } from "./core/dashboard/member-directory.ts";
import type { Identities } from "./core/identities.ts";
import type { Ledger } from "./core/ledger.ts";
import type { Locks } from "./core/locks.ts";
import type { MarketSearch } from "./core/market-search.ts";
import { createMembers, type Members } from "./core/members.ts";
import type { Outbox } from "./core/outbox.ts";
import type { Notifier, OutboxWorker } from "./core/outbox-worker.ts";
import type { SlotStore } from "./core/pacing.ts";
import { createReceipts, type Receipts } from "./core/receipts.ts";
import type { Reconciler } from "./core/reconciler.ts";
import type { Settlement } from "./core/settlement.ts";
import type { SteamSignIn } from "./core/steam-signin.ts";
import type { Switches } from "./core/switches.ts";
import type { TradeBook } from "./core/trade-book.ts";
import type { TradeRecords } from "./core/trade-records.ts";
import type { Trading } from "./core/trading.ts";
import type { Unlinking } from "./core/unlinking.ts";
import { mountDashboard } from "./http/dashboard/routes.ts";
import { createHealth, type Health } from "./http/health.ts";
import { createAssetPayHealth } from "./http/health-assetpay.ts";
import { instrumentLedger, instrumentTradeBook } from "./http/instrumented-ledger.ts";
import { createMetrics, type Metrics } from "./http/metrics.ts";
import type { HttpListener } from "./http/server.ts";
import { createLogger } from "./log.ts";
import type { KeyValueStores } from "./store/kv.ts";
import type { RedisClient } from "./store/redis.ts";
import { createI18n, type I18n } from "./ui/i18n.ts";

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
  /** Unlinking a Steam account, refused while locked or while a trade is in flight. */
  unlinking: Unlinking;
  /** The market search /withdraw, giveaways, /price and autocomplete share (CS2 and Rust). */
  market: MarketSearch;
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
  const stores = await openStores(config, { redis: overrides.redis, prefix, logger, health });
  const { kv, outbox, locks, community, dashboardReads } = stores;

  const metrics = createMetrics({ outbox: (now) => outbox.stats(now) });
  const i18n = createI18n({
    defaultLocale: config.i18n.defaultLocale,
    onMissing: (problem) => logger.warn({ problem }, "translation problem"),
  });
  const members = withMemberDirectory(createMembers(kv.members), dashboardReads);
  const audit = createAppAudit({ config, logger, members, i18n, flushMs: overrides.auditFlushMs });
  const ledger = auditLedger(instrumentLedger(stores.rawLedger, metrics), audit);
  const book = auditTradeBook(instrumentTradeBook(stores.rawBook, metrics), audit, overrides.now);
  const client = createAppClient(config, logger, kv, metrics);

  const services = createServices({
    config,
    logger,
    stores,
    ledger,
    book,
    members,
    client,
    metrics,
    audit,
    now: overrides.now,
    outboxPollMs: overrides.outboxPollMs,
  });
  const { accounts, records, switches, identities, settlement, reconciler, worker } = services;
  const { http, signIn, metricsListener } = createAppHttp({
    config,
    logger,
    stores,
    prefix,
    i18n,
    metrics,
    health,
    settlement,
    accounts,
    identities,
    now: overrides.now,
  });

  let boundUrl: string | undefined;
  const dashboard = createDashboard({
    settings: dashboardSettings(config),
    kv: kv.misc,
    ledger,
    reads: dashboardReads,
    // Everything the reconciler still watches; completed trades watched for a reversal are
    // filtered out by their phase.
    inFlight: { list: () => book.due(Number.MAX_SAFE_INTEGER, 10_000) },
    wallet: walletOrNothing(client, logger),
    onGap: (gap) => metrics.solvencyGap.set(gap),
    boundUrl: () => boundUrl,
    now: overrides.dashboardNow ?? overrides.now ?? Date.now,
  });

  const core: Core = {
    config,
    logger,
    i18n,
    client,
    members,
    accounts,
    trading: services.trading,
    admin: services.admin,
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
    choices: services.choices,
    unlinking: services.unlinking,
    market: services.market,
    identities,
    signIn,
    health,
    audit,
    receipts: createReceipts(kv.misc, overrides.now),
  };
  mountDashboard(http, {
    ...core,
    locale: config.i18n.defaultLocale,
    secureCookies: config.http.publicUrl?.startsWith("https:") ?? false,
  });

  const lifecycle = createLifecycle({
    config,
    logger,
    stores,
    prefix,
    http,
    metricsListener,
    settlement,
    reconciler,
    worker,
    dashboard,
    health,
    audit,
    client,
    onBound: (url) => {
      boundUrl = url;
    },
  });
  return {
    core,
    book,
    http,
    worker,
    sendSlots: stores.sendSlots,
    addNotifier(notifier) {
      // The worker reads the list by platform when it is built; keep it one list.
      services.notifiers.push(notifier);
    },
    start: lifecycle.start,
    stop: lifecycle.stop,
  };
}

/** What the dashboard needs of the configuration, as values. */
function dashboardSettings(config: Config) {
  return {
    ...config.dashboard,
    publicUrl: config.http.publicUrl,
    listenPort: config.http.port,
    sessionSecret: config.assetpay.apiSecret,
    adminUserIds: {
      discord: config.discord?.adminUserIds ?? [],
      telegram: config.telegram?.adminUserIds ?? [],
    },
  };
}

/** The AssetPay client: member tokens cached in the store, every call's latency measured. */
function createAppClient(
  config: Config,
  logger: Logger,
  kv: KeyValueStores,
  metrics: Metrics,
): AssetPayClient {
  return createAssetPayClient({
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
}

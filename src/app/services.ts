/**
 * The core's services over the app's stores: accounts and wallets, pickers and trading,
 * settlement and its reconciler, moderators' admin, and the outbox worker that delivers what
 * they enqueue. Built in the order they depend on each other; nothing starts running here.
 */
import type { Logger } from "pino";
import type { AssetPayClient } from "../assetpay/client.ts";
import { auditAdmin } from "../audit/audited-admin.ts";
import type { Config } from "../config.ts";
import { createAccounts } from "../core/accounts.ts";
import { createAdmin } from "../core/admin.ts";
import type { AuditChannel } from "../core/audit-events.ts";
import { createChatChoices } from "../core/chat-choices.ts";
import { withRecentTrades } from "../core/dashboard/recent-trades.ts";
import { createIdentities } from "../core/identities.ts";
import type { Ledger } from "../core/ledger.ts";
import { createMarketSearch } from "../core/market-search.ts";
import type { Members } from "../core/members.ts";
import type { Recipient } from "../core/notifications.ts";
import { createOutboxWorker, type Notifier } from "../core/outbox-worker.ts";
import { createPickers, type Pickers } from "../core/picker.ts";
import { createReconciler } from "../core/reconciler.ts";
import { createSettlement } from "../core/settlement.ts";
import { createSwitches } from "../core/switches.ts";
import type { TradeBook } from "../core/trade-book.ts";
import { createTradeRecords } from "../core/trade-records.ts";
import { createTrading } from "../core/trading.ts";
import { createUnlinking } from "../core/unlinking.ts";
import type { Metrics } from "../http/metrics.ts";
import { createAppNoticeQueue } from "./notice-queue.ts";
import type { Stores } from "./stores.ts";

export interface ServiceDeps {
  config: Config;
  logger: Logger;
  stores: Stores;
  /** The audited, instrumented ledger and trade book every service uses. */
  ledger: Ledger;
  book: TradeBook;
  members: Members;
  client: AssetPayClient;
  metrics: Metrics;
  audit: AuditChannel;
  now: (() => number) | undefined;
  outboxPollMs: number | undefined;
}

/** The merchant wallet for moderators' views; unavailable (logged) rather than failing them. */
export function walletOrNothing(client: AssetPayClient, logger: Logger) {
  return () =>
    client.walletBalance().catch((err: unknown) => {
      logger.warn({ err }, "wallet balance unavailable");
      return undefined;
    });
}

export function createServices(deps: ServiceDeps) {
  const { config, logger, stores, ledger, book, members, client, now } = deps;
  const { kv, claims, outbox } = stores;
  const accounts = createAccounts({ kv: kv.links, claims, client });
  const records = withRecentTrades(createTradeRecords(book, now), stores.dashboardReads);
  const pickers: Pickers = createPickers(kv.pickers, {
    ttlSeconds: config.picker.ttlSeconds,
    ...(now ? { now } : {}),
  });
  const switches = createSwitches(kv.misc);
  const identities = createIdentities({ kv: kv.links, claims, ledger, records, members });
  const market = createMarketSearch({ client, accounts, feeBps: config.feeBps });

  // Platforms add their notifier after the app is built; the worker reads this one list.
  const notifiers: Notifier[] = [];
  const worker = createOutboxWorker({
    outbox,
    members,
    notifiers,
    logger: logger.child({ component: "outbox" }),
    defaultLocale: config.i18n.defaultLocale,
    concurrency: config.outbox.concurrency,
    ...(deps.outboxPollMs !== undefined ? { pollMs: deps.outboxPollMs } : {}),
    onResult: (outcome, platform) => deps.metrics.outboxDeliveries.inc({ outcome, platform }),
    // The queue is built next (it wakes this worker); the worker only reroutes once running.
    reroute: (n) => queue.reroute(n),
  });
  const queue = createAppNoticeQueue({ members, identities, outbox, kick: () => worker.kick() });

  const adminRecipients: Recipient[] = [
    ...(config.discord?.adminUserIds ?? []).map((userId) => ({ platform: "discord", userId })),
    ...(config.telegram?.adminUserIds ?? []).map((userId) => ({ platform: "telegram", userId })),
  ];
  const settlement = createSettlement({
    ledger,
    book,
    queue,
    members,
    community: stores.community,
    logger,
    policy: {
      instantCredit: config.assetpay.instantCredit,
      feeBps: config.feeBps,
      adminRecipients,
      now: now ?? Date.now,
      reversalWatchMs: config.reconcile.reversalWatchDays * 24 * 3600 * 1000,
      reversalRecheckMs: config.reconcile.reversalRecheckMinutes * 60_000,
    },
    withdrawalsPaused: () => switches.isPaused("withdrawals"),
  });
  const trading = createTrading({
    client,
    accounts,
    market,
    members,
    pickers,
    records,
    locks: stores.locks,
    ledger,
    switches,
    logger,
    feeBps: config.feeBps,
    instantCredit: config.assetpay.instantCredit,
    ...(config.assetpay.autoCancelMinutes !== undefined
      ? { autoCancelMinutes: config.assetpay.autoCancelMinutes }
      : {}),
    // The app's one clock: a trade's start time and the minutes left before it may be cancelled.
    ...(now ? { now: () => new Date(now()) } : {}),
  });
  const admin = auditAdmin(
    createAdmin({
      ledger,
      members,
      accounts,
      records,
      switches,
      identities,
      merchantWallet: walletOrNothing(client, logger),
    }),
    deps.audit,
  );
  const reconciler = createReconciler({ client, book, records, settlement, logger, ...(now ? { now } : {}) });
  return {
    accounts,
    records,
    pickers,
    switches,
    identities,
    notifiers,
    worker,
    settlement,
    trading,
    market,
    unlinking: createUnlinking({ accounts, members, records }),
    admin,
    choices: createChatChoices(kv.sessions, config.picker.ttlSeconds),
    reconciler,
  };
}

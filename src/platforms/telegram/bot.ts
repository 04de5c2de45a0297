/**
 * The Telegram platform: a grammY bot over the app's core. Built like every other part, from the
 * app and its config with no module state, so tests start it exactly as `main.ts` does:
 *
 *   const platform = createTelegramPlatform(app, config.telegram);
 *   app.addNotifier(platform.notifier);
 *   await app.start();
 *   await platform.start();
 *
 * Long polling by default; with a webhook secret and PUBLIC_URL, a webhook on the app's listener.
 */

import { Bot } from "grammy";
import type { Update, UserFromGetMe } from "grammy/types";
import { COMMANDS } from "../../../commands/index.ts";
import type { App } from "../../app.ts";
import type { TelegramConfig } from "../../config.ts";
import { memberIdOf } from "../../core/members.ts";
import type { Notifier } from "../../core/outbox-worker.ts";
import { createSendPacer } from "../../core/pacing.ts";
import { startWithRetry } from "../start-retry.ts";
import {
  configureInteractiveApi,
  createNotificationApi,
  type SendObserver,
  TELEGRAM_RATE_LIMITS,
  type TelegramRateLimits,
} from "./api.ts";
import { createTelegramAuditSink } from "./audit-sink.ts";
import { createCallbackHandler } from "./callback-queries.ts";
import { createCommandHandlers } from "./commands.ts";
import { fatalStartError, trackPolling, unreachable } from "./connection.ts";
import { createLanes } from "./lanes.ts";
import { createMenus, telegramCommands } from "./menus.ts";
import { createMessageRecords } from "./message-records.ts";
import { createTelegramNotifier } from "./notifier.ts";
import { createViewSender } from "./view-sender.ts";
import { createWebhookRoute, WEBHOOK_PATH } from "./webhook.ts";

/** The update types the bot reads; everything else Telegram need not send. */
export const ALLOWED_UPDATES = ["message", "callback_query", "my_chat_member"] as const;

export interface TelegramPlatformOptions {
  rateLimits?: Partial<TelegramRateLimits>;
  /** Seconds a long poll waits for updates (Telegram allows up to 50). */
  pollTimeoutSeconds?: number;
  /** Skips the getMe call at start (the benchmark, a known bot). */
  botInfo?: UserFromGetMe;
}

export interface TelegramPlatform {
  bot: Bot;
  notifier: Notifier;
  /** Sets the command menus and starts receiving updates (polling, or setWebhook). */
  start(): Promise<void>;
  /** Stops receiving updates and waits for the work already taken to finish. */
  stop(): Promise<void>;
  /** Resolves once every update received so far has been handled. */
  idle(): Promise<void>;
}

export function createTelegramPlatform(
  app: App,
  config: TelegramConfig,
  options: TelegramPlatformOptions = {},
): TelegramPlatform {
  const { core } = app;
  const logger = core.logger.child({ platform: "telegram" });
  const limits: TelegramRateLimits = { ...TELEGRAM_RATE_LIMITS, ...options.rateLimits };
  const admins: ReadonlySet<string> = new Set(config.adminUserIds);
  const commands = telegramCommands(COMMANDS);
  // A message's record lives as long as the picker behind it, plus the grace period pickers keep
  // for a polite "expired".
  const sessionTtlMs = core.config.picker.ttlSeconds * 1000 + 3_600_000;

  const bot = new Bot(config.token, {
    client: { apiRoot: config.apiRoot },
    ...(options.botInfo ? { botInfo: options.botInfo } : {}),
  });
  const status = core.health.component("telegram");
  trackPolling(bot, status, config.apiRoot);
  const pacer = createSendPacer({
    platform: "telegram",
    slots: app.sendSlots,
    limits: {
      globalIntervalMs: limits.globalIntervalMs,
      chatIntervalMs: limits.perChatIntervalMs,
      window: limits.window,
    },
  });
  const observe: SendObserver = (kind, outcome) =>
    (outcome === "sent" ? core.metrics.platformSends : core.metrics.rateLimited).inc({
      platform: "telegram",
      kind,
    });
  configureInteractiveApi(bot.api, pacer, limits, observe);
  const notifier = createTelegramNotifier({
    api: createNotificationApi(config.token, config.apiRoot, pacer, observe),
    pacer,
    i18n: core.i18n,
    logger: logger.child({ component: "notifier" }),
    receipts: core.receipts,
  });

  if (config.auditChatId !== undefined)
    core.audit.addSink(createTelegramAuditSink(bot.api, config.auditChatId));
  const lanes = createLanes(logger);
  const records = createMessageRecords(core.kv.sessions, sessionTtlMs);
  const sender = createViewSender({ api: bot.api, records, logger });
  const menus = createMenus({
    api: bot.api,
    i18n: core.i18n,
    commands,
    adminUserIds: config.adminUserIds,
    logger,
  });
  const handlers = createCommandHandlers({
    core,
    commands,
    admins,
    sender,
    lanes,
    username: () => bot.botInfo.username,
    askTtlMs: core.config.picker.ttlSeconds * 1000,
  });

  // Counted from the moment an update arrives, so `idle()` also waits for updates not yet in a lane.
  bot.use((_ctx, next) => lanes.track(next));
  bot.use(async (ctx, next) => {
    const from = ctx.from;
    if (from && admins.has(String(from.id)) && ctx.chat?.type === "private") {
      await menus.ensureAdmin(String(from.id));
    }
    await next();
  });
  bot.on("callback_query", createCallbackHandler({ core, admins, records, sender, lanes, logger }));
  // A member blocking (or unblocking) the bot in the private chat: mark them at once, instead of
  // learning it from the next failed DM; notices then wait in /inbox until they come back.
  bot.on("my_chat_member", async (ctx) => {
    const change = ctx.myChatMember;
    if (change.chat.type !== "private") return;
    const memberId = memberIdOf({ platform: "telegram", userId: String(change.from.id) });
    const status = change.new_chat_member.status;
    await core.members.update(memberId, (p) => {
      if (status === "kicked") p.unreachable = { since: new Date().toISOString(), reason: "bot blocked" };
      // Back: DMs may go out again, but the mark stays until their next interaction has told
      // them what they missed while they were away.
      else if (status === "member" && p.unreachable) p.unreachable.returnedAt = new Date().toISOString();
      else return undefined;
      return p;
    });
  });
  for (const def of commands) bot.command(def.name, handlers.onCommand(def));
  bot.on("message:text", (ctx) => handlers.onText(ctx));
  bot.catch((err) =>
    logger.error({ err: err.error, updateId: err.ctx.update.update_id }, "telegram update failed"),
  );

  let accepting = false;
  let stopped = false;
  let polling: Promise<void> | undefined;
  const handleUpdate = (update: Update) => bot.handleUpdate(update);

  if (config.mode === "webhook") {
    if (!config.webhookSecret) throw new Error("Telegram webhook mode needs a webhook secret");
    app.http.route(
      "POST",
      WEBHOOK_PATH,
      createWebhookRoute({
        secret: config.webhookSecret,
        locks: core.locks,
        logger,
        handleUpdate,
        accepting: () => accepting,
      }),
    );
  }

  return {
    bot,
    notifier,
    async start() {
      await startWithRetry(
        async () => {
          // grammY's init() retries getMe silently forever; one call here lets a refused token
          // end the start and an unreachable Telegram show up in the logs.
          if (!bot.isInited()) bot.botInfo = await bot.api.getMe();
          await menus.install();
        },
        {
          status,
          fatal: fatalStartError,
          describe: (err) => unreachable(config.apiRoot, err),
          stopped: () => stopped,
        },
      );
      if (config.mode === "webhook") {
        const publicUrl = core.config.http.publicUrl;
        if (!publicUrl || !config.webhookSecret) throw new Error("Telegram webhook mode needs PUBLIC_URL");
        accepting = true;
        await bot.api.setWebhook(`${publicUrl}${WEBHOOK_PATH}`, {
          secret_token: config.webhookSecret,
          allowed_updates: [...ALLOWED_UPDATES],
        });
        logger.info({ url: `${publicUrl}${WEBHOOK_PATH}` }, "telegram webhook set");
        status.up();
        return;
      }
      await new Promise<void>((resolve, reject) => {
        polling = bot
          .start({
            allowed_updates: [...ALLOWED_UPDATES],
            timeout: options.pollTimeoutSeconds ?? 30,
            onStart: () => {
              status.up();
              resolve();
            },
          })
          .catch((err: unknown) => {
            const fatal = fatalStartError(err);
            status.down(`Telegram long polling stopped: ${fatal?.message ?? String(err)}`);
            reject(fatal ?? err);
          });
      });
      logger.info({ username: bot.botInfo.username }, "telegram long polling started");
    },
    async stop() {
      // The webhook stays registered: Telegram holds updates until this or another instance is back.
      accepting = false;
      stopped = true;
      if (polling) {
        // stop() confirms the last update offset with Telegram; unreachable, it would throw and
        // turn a clean shutdown into a failed one. Telegram resends those updates instead.
        await bot
          .stop()
          .catch((err: unknown) =>
            logger.warn({ err: String(err) }, "telegram: could not confirm the last updates"),
          );
        await polling;
        polling = undefined;
      }
      await lanes.drain();
    },
    idle: () => lanes.drain(),
  };
}

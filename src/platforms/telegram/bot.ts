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
import type { UserFromGetMe } from "grammy/types";
import type { Logger } from "pino";
import { COMMANDS } from "../../../commands/index.ts";
import type { App } from "../../app.ts";
import type { TelegramConfig } from "../../config.ts";
import type { Notifier } from "../../core/outbox-worker.ts";
import type { HealthComponent } from "../../http/health.ts";
import { startWithRetry } from "../start-retry.ts";
import { TELEGRAM_RATE_LIMITS, type TelegramRateLimits } from "./api.ts";
import { createTelegramAuditSink } from "./audit-sink.ts";
import { createCallbackHandlers } from "./callback-queries.ts";
import { fatalStartError, trackPolling, unreachable } from "./connection.ts";
import { installHandlers } from "./handlers.ts";
import { createMenus, type Menus, telegramCommands } from "./menus.ts";
import { createMessageRecords } from "./message-records.ts";
import { createTelegramSending } from "./sending.ts";
import { createUpdateIntake, type UpdateIntake, type UpdateType } from "./update-intake.ts";
import { createViewSender } from "./view-sender.ts";
import { createWebhookRoute, WEBHOOK_PATH } from "./webhook.ts";

/** The update types the bot reads; everything else Telegram need not send. */
export const ALLOWED_UPDATES = [
  "message",
  "callback_query",
  "my_chat_member",
] as const satisfies UpdateType[];

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

/** The update pipeline: the intake (concurrency, chat order) with every handler behind it. */
function receiveUpdates(
  app: App,
  config: TelegramConfig,
  bot: Bot,
  menus: Menus,
  logger: Logger,
): UpdateIntake {
  const { core } = app;
  // A message's record lives as long as the picker behind it, plus the grace period pickers keep
  // for a polite "expired".
  const records = createMessageRecords(core.kv.sessions, core.config.picker.ttlSeconds * 1000 + 3_600_000);
  const sender = createViewSender({ api: bot.api, records, logger });
  const admins: ReadonlySet<string> = new Set(config.adminUserIds);
  const callbacks = createCallbackHandlers({ core, admins, records, sender, logger });
  const intake = createUpdateIntake(bot, { logger, arrival: [callbacks.acknowledge] });
  installHandlers(bot, {
    core,
    commands: telegramCommands(COMMANDS),
    admins,
    sender,
    menus,
    callbacks,
    logger,
  });
  return intake;
}

/** Webhook mode: registers the webhook and opens the route Telegram delivers to. */
function webhookMode(app: App, config: TelegramConfig, bot: Bot, intake: UpdateIntake, logger: Logger) {
  const secret = config.webhookSecret;
  if (!secret) throw new Error("Telegram webhook mode needs a webhook secret");
  let accepting = false;
  app.http.route(
    "POST",
    WEBHOOK_PATH,
    createWebhookRoute({
      secret,
      locks: app.core.locks,
      logger,
      accept: intake.accept,
      accepting: () => accepting,
    }),
  );
  return {
    async start() {
      const publicUrl = app.core.config.http.publicUrl;
      if (!publicUrl) throw new Error("Telegram webhook mode needs PUBLIC_URL");
      accepting = true;
      await bot.api.setWebhook(`${publicUrl}${WEBHOOK_PATH}`, {
        secret_token: secret,
        allowed_updates: [...ALLOWED_UPDATES],
      });
      logger.info({ url: `${publicUrl}${WEBHOOK_PATH}` }, "telegram webhook set");
    },
    /** The webhook stays registered: Telegram holds updates until this or another instance is back. */
    stop() {
      accepting = false;
    },
  };
}

function startPolling(intake: UpdateIntake, status: HealthComponent, pollTimeoutSeconds = 30): void {
  intake.poll({
    allowedUpdates: ALLOWED_UPDATES,
    timeoutSeconds: pollTimeoutSeconds,
    onFailure: (err) => {
      const fatal = fatalStartError(err);
      status.down(`Telegram long polling stopped: ${fatal?.message ?? String(err)}`);
    },
  });
}

export function createTelegramPlatform(
  app: App,
  config: TelegramConfig,
  options: TelegramPlatformOptions = {},
): TelegramPlatform {
  const { core } = app;
  const logger = core.logger.child({ platform: "telegram" });
  const bot = new Bot(config.token, {
    client: { apiRoot: config.apiRoot },
    ...(options.botInfo ? { botInfo: options.botInfo } : {}),
  });
  const status = core.health.component("telegram");
  trackPolling(bot, status, config.apiRoot);
  const limits: TelegramRateLimits = { ...TELEGRAM_RATE_LIMITS, ...options.rateLimits };
  const notifier = createTelegramSending({ app, config, bot, limits, logger });
  if (config.auditChatId !== undefined)
    core.audit.addSink(createTelegramAuditSink(bot.api, config.auditChatId));
  const menus = createMenus({
    api: bot.api,
    i18n: core.i18n,
    commands: telegramCommands(COMMANDS),
    adminUserIds: config.adminUserIds,
    logger,
  });
  const intake = receiveUpdates(app, config, bot, menus, logger);
  const webhook = config.mode === "webhook" ? webhookMode(app, config, bot, intake, logger) : undefined;
  let stopped = false;

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
          // A webhook left from an earlier webhook deployment would refuse every poll.
          if (!webhook) await bot.api.deleteWebhook();
        },
        {
          status,
          fatal: fatalStartError,
          describe: (err) => unreachable(config.apiRoot, err),
          stopped: () => stopped,
        },
      );
      if (webhook) await webhook.start();
      else startPolling(intake, status, options.pollTimeoutSeconds);
      status.up();
      if (!webhook) logger.info({ username: bot.botInfo.username }, "telegram long polling started");
    },
    async stop() {
      stopped = true;
      webhook?.stop();
      await intake.stop();
    },
    idle: () => intake.idle(),
  };
}

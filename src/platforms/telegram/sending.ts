/**
 * The bot's sending side: one pacer for both of its APIs (answers first, outbox notices with what
 * is left), the metrics of what went out, and the outbox's notifier.
 */
import type { Bot } from "grammy";
import type { Logger } from "pino";
import type { App } from "../../app.ts";
import type { TelegramConfig } from "../../config.ts";
import type { Notifier } from "../../core/outbox-worker.ts";
import { createSendPacer } from "../../core/pacing.ts";
import {
  configureInteractiveApi,
  createNotificationApi,
  type SendObserver,
  type TelegramRateLimits,
} from "./api.ts";
import { createTelegramNotifier } from "./notifier.ts";

/** Paces `bot.api` and returns the notifier, paced on the same timeline. */
export function createTelegramSending(deps: {
  app: App;
  config: TelegramConfig;
  bot: Bot;
  limits: TelegramRateLimits;
  logger: Logger;
}): Notifier {
  const { app, config, limits } = deps;
  const { core } = app;
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
  configureInteractiveApi(deps.bot.api, pacer, limits, observe);
  return createTelegramNotifier({
    api: createNotificationApi(config.token, config.apiRoot, pacer, observe),
    pacer,
    i18n: core.i18n,
    logger: deps.logger.child({ component: "notifier" }),
    receipts: core.receipts,
  });
}

/**
 * Delivers outbox notices as private Telegram messages. The outcome tells the outbox worker what
 * to do next: a member who blocked the bot, deleted their account or never opened the chat is
 * unreachable (the notice waits in their /inbox); a flood wait comes back as rate limited with
 * Telegram's `retry_after`, for the outbox to postpone; anything else is retried with the
 * worker's backoff. The chat's turn (one message a second) is taken before the worker commits to
 * a notice, so a busy chat's next notice waits in the outbox, not in a worker.
 */
import { type Api, GrammyError, HttpError } from "grammy";
import type { Logger } from "pino";
import type { Notice, Recipient } from "../../core/notifications.ts";
import type { DeliveryResult, Notifier } from "../../core/outbox-worker.ts";
import type { SendPacer } from "../../core/pacing.ts";
import type { I18n } from "../../ui/i18n.ts";
import { isLocale } from "../../ui/locales.ts";
import { noticeView } from "../../ui/views/notice-view.ts";
import { renderView } from "./render.ts";

/** Telegram's descriptions of a chat the bot can never write to until the member acts. */
const UNREACHABLE = [
  /bot was blocked by the user/i,
  /user is deactivated/i,
  /bot can't initiate conversation/i,
  /chat not found/i,
  /bot was kicked/i,
];

export function classifySendError(err: unknown): DeliveryResult {
  if (err instanceof GrammyError) {
    if (
      (err.error_code === 403 || err.error_code === 400) &&
      UNREACHABLE.some((re) => re.test(err.description))
    ) {
      return { ok: false, unreachable: true, reason: err.description };
    }
    const retryAfter = err.parameters.retry_after;
    if (err.error_code === 429) {
      return {
        ok: false,
        rateLimited: true,
        retryAfterMs: (typeof retryAfter === "number" ? retryAfter : 1) * 1000,
      };
    }
    return { ok: false, error: `${err.error_code} ${err.description}` };
  }
  if (err instanceof HttpError) return { ok: false, error: `network: ${err.message}` };
  return { ok: false, error: err instanceof Error ? err.message : String(err) };
}

export function createTelegramNotifier(deps: {
  api: Api;
  pacer: SendPacer;
  i18n: I18n;
  logger: Logger;
}): Notifier {
  return {
    platform: "telegram",
    turn: (recipient) => deps.pacer.noticeTurn(recipient.userId),
    async deliver(recipient: Recipient, notice: Notice, locale: string): Promise<DeliveryResult> {
      const chatId = Number(recipient.userId);
      if (!Number.isSafeInteger(chatId)) {
        return { ok: false, unreachable: true, reason: "not a Telegram user id" };
      }
      const view = noticeView(deps.i18n, isLocale(locale) ? locale : deps.i18n.defaultLocale, notice);
      const message = renderView(view, {
        onDroppedButton: (label, reason) =>
          deps.logger.warn({ label, reason, kind: notice.kind }, "notice button left out"),
      });
      try {
        await deps.api.sendMessage(chatId, message.html, {
          parse_mode: "HTML",
          link_preview_options: { is_disabled: true },
          ...(message.replyMarkup ? { reply_markup: message.replyMarkup } : {}),
        });
        return { ok: true };
      } catch (err) {
        return classifySendError(err);
      }
    },
  };
}

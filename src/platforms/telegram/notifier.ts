/**
 * Delivers outbox notices as private Telegram messages. The outcome tells the outbox worker what
 * to do next: a member who blocked the bot, deleted their account or never opened the chat is
 * unreachable (the notice waits in their /inbox); a flood wait comes back as rate limited with
 * Telegram's `retry_after`, for the outbox to postpone; anything else is retried with the
 * worker's backoff. The chat's turn (one message a second) is taken before the worker commits to
 * a notice, so a busy chat's next notice waits in the outbox, not in a worker.
 *
 * A step of a trade started from a chat first edits the trade's receipt card (the confirmed
 * message) into its current status; steps in between then need no DM of their own.
 */
import { type Api, GrammyError, HttpError } from "grammy";
import type { Logger } from "pino";
import type { Notice, Recipient } from "../../core/notifications.ts";
import type { DeliveryResult, Notifier } from "../../core/outbox-worker.ts";
import type { SendPacer } from "../../core/pacing.ts";
import { cardIsEnough, movesCard } from "../../core/receipt-policy.ts";
import type { Receipts } from "../../core/receipts.ts";
import type { I18n, Locale } from "../../ui/i18n.ts";
import { isLocale } from "../../ui/locales.ts";
import { noticeView } from "../../ui/views/notice-view.ts";
import { tradeCardView } from "../../ui/views/trade-card-view.ts";
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
  /** Where trades' receipt cards are; without it every notice is a DM. */
  receipts?: Receipts;
}): Notifier {
  /** Edits the trade's card, if it has one here: true once the card shows the notice. */
  const moveCard = async (notice: Notice, locale: Locale): Promise<boolean> => {
    if (!deps.receipts || !movesCard(notice)) return false;
    const card = await deps.receipts.find(notice.tradeId);
    if (card?.platform !== "telegram") return false;
    const m = renderView(tradeCardView(deps.i18n, locale, notice));
    try {
      await deps.api.editMessageText(card.chatId, card.messageId, m.html, {
        parse_mode: "HTML",
        link_preview_options: { is_disabled: true },
        ...(m.replyMarkup ? { reply_markup: m.replyMarkup } : {}),
      });
      return true;
    } catch (err) {
      // A retry after the DM failed finds the card already moved.
      if (err instanceof GrammyError && /message is not modified/i.test(err.description)) return true;
      // Deleted, too old, chat gone: the DM carries the news instead.
      deps.logger.info({ err, tradeId: notice.tradeId }, "receipt card not edited; sending the notice");
      return false;
    }
  };

  return {
    platform: "telegram",
    moveCard: (notice, locale) => moveCard(notice, isLocale(locale) ? locale : deps.i18n.defaultLocale),
    turn: (recipient) => deps.pacer.noticeTurn(recipient.userId),
    async deliver(recipient: Recipient, notice: Notice, locale: string): Promise<DeliveryResult> {
      const chatId = Number(recipient.userId);
      if (!Number.isSafeInteger(chatId)) {
        return { ok: false, unreachable: true, reason: "not a Telegram user id" };
      }
      const lang = isLocale(locale) ? locale : deps.i18n.defaultLocale;
      if ((await moveCard(notice, lang)) && cardIsEnough(notice)) return { ok: true };
      const view = noticeView(deps.i18n, lang, notice);
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

/**
 * Delivers the core's outbox notices as Discord DMs: the notice view (colour by outcome, amounts,
 * new balance, a button to the Steam offer) in the member's language. A member who closed DMs or
 * shares no server with the bot is reported unreachable, so the worker keeps the notice for
 * /inbox; everything else is a retryable failure. Every request waits for a slot on the bot's
 * global timeline (dm-rest.ts), and a member's chat turn is taken before the worker commits to a
 * notice. A rate limit that still arrives (the REST throws rather than waits) is handed back to
 * the outbox to postpone.
 *
 * A step of a trade started from a button first edits the trade's receipt card through the
 * interaction's token, while it lives (15 minutes); steps in between then need no DM. Once the
 * token is gone, the DM is the card.
 */

import type { APIChannel } from "discord.js";
import { DiscordAPIError, RateLimitError, type REST, RESTJSONErrorCodes, Routes } from "discord.js";
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

/** Discord's answers meaning "this member can't get a DM from us", not "try again later". */
const UNREACHABLE: ReadonlyMap<number, string> = new Map([
  [RESTJSONErrorCodes.CannotSendMessagesToThisUser, "closed DMs"],
  [RESTJSONErrorCodes.UnknownUser, "unknown user"],
  [RESTJSONErrorCodes.UnknownMember, "no mutual server"],
  // "Cannot send messages to this user due to having no mutual guilds".
  [50278, "no mutual server"],
]);

/** DM channel ids are stable per user; remembering a bounded number saves a request per notice. */
const DM_CHANNEL_CACHE = 1_000;

export interface DiscordNotifierDeps {
  /** A paced REST that throws on rate limits instead of waiting (dm-rest.ts). */
  rest: REST;
  pacer: SendPacer;
  i18n: I18n;
  logger: Logger;
  /** Where trades' receipt cards are; without it every notice is a DM. */
  receipts?: Receipts;
}

export function createDiscordNotifier(deps: DiscordNotifierDeps): Notifier {
  const { rest, i18n, pacer } = deps;

  /** Edits the trade's card while its interaction token lives: true once the card shows the notice. */
  const moveCard = async (notice: Notice, locale: Locale): Promise<boolean> => {
    if (!deps.receipts || !movesCard(notice)) return false;
    const card = await deps.receipts.find(notice.tradeId);
    if (card?.platform !== "discord") return false;
    try {
      await rest.patch(Routes.webhookMessage(card.applicationId, card.token, "@original"), {
        body: renderView(tradeCardView(i18n, locale, notice)),
        auth: false,
      });
      return true;
    } catch (err) {
      // Expired early, deleted, or a limit: the DM carries the news instead.
      deps.logger.info({ err, tradeId: notice.tradeId }, "receipt card not edited; sending the notice");
      return false;
    }
  };
  const dmChannels = new Map<string, string>();

  const dmChannelOf = async (userId: string): Promise<string> => {
    const known = dmChannels.get(userId);
    if (known !== undefined) return known;
    const channel = (await rest.post(Routes.userChannels(), {
      body: { recipient_id: userId },
    })) as APIChannel;
    if (dmChannels.size >= DM_CHANNEL_CACHE) {
      const oldest = dmChannels.keys().next().value;
      if (oldest !== undefined) dmChannels.delete(oldest);
    }
    dmChannels.set(userId, channel.id);
    return channel.id;
  };

  return {
    platform: "discord",
    moveCard: (notice, locale) => moveCard(notice, isLocale(locale) ? locale : i18n.resolveLocale(locale)),
    turn: (recipient) => pacer.noticeTurn(recipient.userId),
    async deliver(recipient: Recipient, notice: Notice, locale: string): Promise<DeliveryResult> {
      const lang = isLocale(locale) ? locale : i18n.resolveLocale(locale);
      if ((await moveCard(notice, lang)) && cardIsEnough(notice)) return { ok: true };
      const view = noticeView(i18n, lang, notice);
      try {
        const channelId = await dmChannelOf(recipient.userId);
        await rest.post(Routes.channelMessages(channelId), { body: renderView(view) });
        await pacer.sentTo(recipient.userId);
        return { ok: true };
      } catch (err) {
        if (err instanceof RateLimitError) {
          return { ok: false, rateLimited: true, retryAfterMs: Math.max(1, err.retryAfter) };
        }
        if (err instanceof DiscordAPIError) {
          const reason = typeof err.code === "number" ? UNREACHABLE.get(err.code) : undefined;
          if (reason !== undefined) return { ok: false, unreachable: true, reason };
          if (err.code === RESTJSONErrorCodes.UnknownChannel) dmChannels.delete(recipient.userId);
          // Only the status and code: the message and URL are Discord's, and kept out of the outbox.
          return { ok: false, error: `Discord answered ${err.status} (code ${String(err.code)})` };
        }
        deps.logger.warn({ err, userId: recipient.userId }, "Discord DM failed");
        return { ok: false, error: err instanceof Error ? err.name : "Discord DM failed" };
      }
    },
  };
}

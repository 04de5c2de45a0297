/**
 * The two ways the bot talks to the Bot API, both paced on one timeline per bot (core/pacing.ts):
 * Telegram counts every message, reply or notification, against one budget of about thirty a
 * second and one a second per chat, over any rolling second. Answers to a member's own action go
 * first; outbox notifications use what is left.
 *
 * As grammY's docs recommend for bots that pace themselves: auto-retry on the bot's own API, for
 * the rare 429 that still reaches a reply (a member is waiting; a short wait beats an error), and
 * no throttler. The notification API does not retry at all: a 429 goes back to the outbox, which
 * postpones the notice in its recipient's line while the worker moves on.
 */
import { autoRetry } from "@grammyjs/auto-retry";
import { Api, type Transformer } from "grammy";
import type { SendPacer } from "../../core/pacing.ts";

export interface TelegramRateLimits {
  /** Minimum gap between two messages to one chat. */
  perChatIntervalMs: number;
  /** Minimum gap between two messages over all chats. */
  globalIntervalMs: number;
  /** At most this many messages leave one instance in any rolling window (see PaceLimits.window). */
  window: { limit: number; windowMs: number };
  /** Longest `retry_after` a reply waits out; longer ones fail the call. */
  maxRetryAfterSeconds: number;
}

export const TELEGRAM_RATE_LIMITS: TelegramRateLimits = {
  // Telegram's one a second per chat, with room for the gap shrinking on the way there.
  perChatIntervalMs: 1_050,
  // 27.8 a second against Telegram's 30, and never more than 29 leaving in any 1.04 s: in
  // bench/notifications.ts this drains a drop at 0.90–0.92 of 30 with no 429, where 35 ms and
  // 30 per 1.04 s (0.93) drew a 429 now and then when the event loop stalled, and one 429 costs
  // the whole bot a second of Telegram's retry_after.
  globalIntervalMs: 36,
  window: { limit: 29, windowMs: 1_040 },
  maxRetryAfterSeconds: 5,
};

/** Methods that put a new message in a chat: what Telegram's limits count. */
const SENDS = new Set([
  "sendMessage",
  "sendPhoto",
  "sendDocument",
  "sendMediaGroup",
  "copyMessage",
  "forwardMessage",
]);

export type SendKind = "reply" | "notice";
/** Told of every message sent, and of every 429, for the metrics. */
export type SendObserver = (kind: SendKind, outcome: "sent" | "rate_limited") => void;

/** Waits for a global slot before each message goes out, and marks the chat's last send. */
export function pacingTransformer(pacer: SendPacer, kind: SendKind, observe?: SendObserver): Transformer {
  return async (prev, method, payload, signal) => {
    if (!SENDS.has(method)) return prev(method, payload, signal);
    const chatId = (payload as { chat_id?: unknown }).chat_id;
    // A reply does not wait for its chat's turn: Telegram allows a chat short bursts, and the
    // member is waiting. It does count for the chat, so the next notice keeps its distance.
    await pacer.globalSlot(kind);
    const response = await prev(method, payload, signal);
    if (chatId !== undefined) await pacer.sentTo(String(chatId));
    if (response.ok) observe?.(kind, "sent");
    else if (response.error_code === 429) observe?.(kind, "rate_limited");
    return response;
  };
}

/** Paces the bot's own API (the one every update's context uses) and lets it wait out short flood waits. */
export function configureInteractiveApi(
  api: Api,
  pacer: SendPacer,
  limits: TelegramRateLimits,
  observe?: SendObserver,
): void {
  // The transformer installed last runs first: a retried reply asks for a new slot each time.
  api.config.use(pacingTransformer(pacer, "reply", observe));
  api.config.use(
    autoRetry({
      maxDelaySeconds: limits.maxRetryAfterSeconds,
      maxRetryAttempts: 3,
      // Network and 5xx failures are not retried here: the member gets an answer now.
      rethrowHttpErrors: true,
      rethrowInternalServerErrors: true,
    }),
  );
}

/** A separate client for notifications: paced, never retrying (the outbox does that). */
export function createNotificationApi(
  token: string,
  apiRoot: string,
  pacer: SendPacer,
  observe?: SendObserver,
): Api {
  const api = new Api(token, { apiRoot });
  api.config.use(pacingTransformer(pacer, "notice", observe));
  return api;
}

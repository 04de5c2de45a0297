/**
 * The two ways the bot talks to the Bot API. Answers to a member's own action (a reply, an edit,
 * answerCallbackQuery) go straight out: a human is waiting and makes them at human pace. Outbox
 * notifications are bulk and go through grammY's throttler (about one message a second per chat,
 * thirty a second overall, twenty a minute per group), as Telegram asks. Both honour a 429's
 * `retry_after` with the auto-retry plugin, but only for short waits: a long flood wait goes back
 * to the outbox's own retry schedule instead of holding a worker.
 */
import { autoRetry } from "@grammyjs/auto-retry";
import { apiThrottler } from "@grammyjs/transformer-throttler";
import { Api } from "grammy";

export interface TelegramRateLimits {
  /** Minimum gap between two notifications to one private chat. */
  perChatIntervalMs: number;
  /** Notifications per second over all chats. */
  globalPerSecond: number;
  /** Notifications per minute to one group. */
  groupPerMinute: number;
  /** Longest `retry_after` waited out inside a call; longer ones fail the call with the delay. */
  maxRetryAfterSeconds: number;
}

export const TELEGRAM_RATE_LIMITS: TelegramRateLimits = {
  // A little over a second: the gap is measured when a request leaves, Telegram counts arrivals.
  perChatIntervalMs: 1_100,
  globalPerSecond: 30,
  groupPerMinute: 20,
  maxRetryAfterSeconds: 5,
};

function retry(limits: TelegramRateLimits) {
  // Network and 5xx failures are not retried here: the member gets an answer now, and the
  // outbox has its own backoff.
  return autoRetry({
    maxDelaySeconds: limits.maxRetryAfterSeconds,
    maxRetryAttempts: 3,
    rethrowHttpErrors: true,
    rethrowInternalServerErrors: true,
  });
}

/** Installs the flood-wait retry on the bot's own API (the one every update's context uses). */
export function configureInteractiveApi(api: Api, limits: TelegramRateLimits): void {
  api.config.use(retry(limits));
}

/** A separate client for notifications, throttled to Telegram's broadcast limits. */
export function createNotificationApi(token: string, apiRoot: string, limits: TelegramRateLimits): Api {
  const api = new Api(token, { apiRoot });
  // The transformer installed last runs first: the retry wraps the throttler, so a call retried
  // after a flood wait queues for a new turn instead of holding its chat's slot while it sleeps.
  api.config.use(
    apiThrottler({
      global: {
        reservoir: limits.globalPerSecond,
        reservoirRefreshAmount: limits.globalPerSecond,
        reservoirRefreshInterval: 1_000,
      },
      out: { maxConcurrent: 1, minTime: limits.perChatIntervalMs },
      group: {
        maxConcurrent: 1,
        minTime: limits.perChatIntervalMs,
        reservoir: limits.groupPerMinute,
        reservoirRefreshAmount: limits.groupPerMinute,
        reservoirRefreshInterval: 60_000,
      },
    }),
  );
  api.config.use(retry(limits));
  return api;
}

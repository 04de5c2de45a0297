/**
 * Webhook mode on the app's own HTTP listener. Telegram proves each delivery with the secret it
 * was given in setWebhook (`X-Telegram-Bot-Api-Secret-Token`); anything else is refused. The
 * answer goes back as soon as the update is queued (update-intake.ts handles it in its chat's
 * turn), and an update Telegram delivers again, because it missed our answer or another instance
 * already took it, is acknowledged without running twice.
 */
import { timingSafeEqual } from "node:crypto";
import type { Update } from "grammy/types";
import type { Logger } from "pino";
import type { Locks } from "../../core/locks.ts";
import type { RouteHandler } from "../../http/server.ts";

export const WEBHOOK_PATH = "/telegram/webhook";
export const SECRET_HEADER = "x-telegram-bot-api-secret-token";
/** Telegram keeps an unconfirmed update for up to a day. */
const SEEN_FOR_MS = 24 * 3_600_000;

function sameSecret(given: string | string[] | undefined, expected: string): boolean {
  if (typeof given !== "string") return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function createWebhookRoute(deps: {
  secret: string;
  locks: Locks;
  logger: Logger;
  /** Queues the update; resolves before it is handled. */
  accept: (update: Update) => Promise<void>;
  /** False while starting or after stop: Telegram retries, possibly on another instance. */
  accepting: () => boolean;
}): RouteHandler {
  return async (req, rawBody) => {
    if (!sameSecret(req.headers[SECRET_HEADER], deps.secret)) {
      deps.logger.warn(
        { remote: req.socket.remoteAddress },
        "telegram webhook call without the right secret",
      );
      return { status: 401, body: { error: "unauthorized" } };
    }
    if (!deps.accepting()) return { status: 503, body: { error: "not_ready" } };
    let update: Update;
    try {
      update = JSON.parse(rawBody.toString("utf8")) as Update;
    } catch {
      return { status: 400, body: { error: "invalid_json" } };
    }
    if (typeof update !== "object" || update === null || !Number.isSafeInteger(update.update_id)) {
      return { status: 400, body: { error: "invalid_update" } };
    }
    const first = await deps.locks.tryAcquire(`tg:update:${update.update_id}`, SEEN_FOR_MS);
    if (!first) return { status: 200 };
    // A failure while handling it is logged there: asking Telegram to deliver it again would only
    // repeat the failure.
    await deps.accept(update);
    return { status: 200 };
  };
}

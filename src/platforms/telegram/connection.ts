/**
 * Whether the bot is connected to Telegram, for readiness: long polling is up while `getUpdates`
 * calls succeed, and down (with the reason and the fix) from the first one that fails until one
 * succeeds again. grammY itself retries failed polls quietly; this is what makes them visible.
 */
import { type Bot, GrammyError, HttpError } from "grammy";
import { telegramTokenRejected } from "../../failures.ts";
import type { HealthComponent } from "../../http/health.ts";
import { reasonOf } from "../start-retry.ts";

export function unreachable(apiRoot: string, err: unknown): string {
  return `Telegram is unreachable at ${apiRoot} (${reasonOf(err)}); retrying — check this host's network and TELEGRAM_API_ROOT`;
}

/** A rejected token ends the start; network trouble and Telegram's 5xx/429 are retried. */
export function fatalStartError(err: unknown): Error | undefined {
  if (err instanceof GrammyError) {
    if (err.error_code === 401 || err.error_code === 404) return telegramTokenRejected(err.error_code);
    if (err.error_code < 500 && err.error_code !== 429) return err;
    return undefined;
  }
  return err instanceof HttpError ? undefined : (err as Error);
}

export function trackPolling(bot: Bot, status: HealthComponent, apiRoot: string): void {
  bot.api.config.use(async (prev, method, payload, signal) => {
    if (method !== "getUpdates") return prev(method, payload, signal);
    try {
      const result = await prev(method, payload, signal);
      if (result.ok) status.up();
      else if (result.error_code === 409)
        status.down(
          "Telegram refuses long polling: another instance polls with this token — run one, or use the webhook",
        );
      else if (result.error_code === 401) status.down(telegramTokenRejected(401).message);
      else status.down(`Telegram answered getUpdates with ${result.error_code}; retrying`);
      return result;
    } catch (err) {
      // A stop aborts the poll in flight: that is not an outage.
      if (!signal?.aborted) status.down(unreachable(apiRoot, err));
      throw err;
    }
  });
}

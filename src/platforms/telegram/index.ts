/** The Telegram platform adapter: what `main.ts` and the tests use. */
export { TELEGRAM_RATE_LIMITS, type TelegramRateLimits } from "./api.ts";
export {
  ALLOWED_UPDATES,
  createTelegramPlatform,
  type TelegramPlatform,
  type TelegramPlatformOptions,
} from "./bot.ts";
export { classifySendError, createTelegramNotifier } from "./notifier.ts";
export { escapeHtml, renderView, TELEGRAM_LIMITS, type TelegramMessage } from "./render.ts";
export { SECRET_HEADER, WEBHOOK_PATH } from "./webhook.ts";

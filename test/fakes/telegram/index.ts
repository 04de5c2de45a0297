export type { CallbackAnswer } from "./callback-queries.ts";
export type { BotCommand } from "./core.ts";
export {
  type FakeTelegram,
  type FakeTelegramOptions,
  startFakeTelegram,
  type WaitForCallOptions,
} from "./fake-telegram.ts";
export type { ForcedFailure, RateLimitOptions } from "./flood-control.ts";
export type { CallbackHandle, TextHandle } from "./inject.ts";
export type * from "./types.ts";

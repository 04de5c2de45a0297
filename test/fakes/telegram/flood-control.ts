/**
 * Flood limits and injected failures. Telegram's real limits are fuzzy (about one message per
 * second per chat, thirty per second overall), so the fake makes them explicit and opt-in: going
 * over a configured limit, or calling again before the announced `retry_after`, answers 429 and is
 * a violation. Forced failures (`failNext`) are the test's doing, not the bot's, so they are not.
 */
import { TelegramApiError, tooManyRequests } from "./api-error.ts";

export interface RateLimitOptions {
  /** sendMessage calls per second to one chat before 429. */
  perChatPerSecond?: number;
  /** sendMessage calls per second over all chats before 429. */
  globalPerSecond?: number;
  /** retry_after announced when a limit trips; default 1. */
  retryAfterSeconds?: number;
}

export interface ForcedFailure {
  /** Only this method fails (case-insensitive); any method but getUpdates when omitted. */
  method?: string;
  errorCode: number;
  description: string;
  retryAfter?: number;
  /** How many matching calls fail; default 1. */
  times?: number;
}

const WINDOW_MS = 1_000;

class Window {
  private stamps: number[] = [];
  blockedUntil = 0;

  count(now: number): number {
    this.stamps = this.stamps.filter((t) => now - t < WINDOW_MS);
    return this.stamps.length;
  }

  add(now: number): void {
    this.stamps.push(now);
  }
}

export class FloodControl {
  private readonly perChat = new Map<number | string, Window>();
  private readonly global = new Window();
  private readonly forced: (ForcedFailure & { remaining: number })[] = [];

  constructor(private readonly limits: RateLimitOptions = {}) {}

  force(failure: ForcedFailure): void {
    this.forced.push({ ...failure, remaining: failure.times ?? 1 });
  }

  /** The injected failure for this call, if one is queued. */
  takeForced(method: string): TelegramApiError | undefined {
    const index = this.forced.findIndex((f) =>
      f.method ? f.method.toLowerCase() === method.toLowerCase() : method.toLowerCase() !== "getupdates",
    );
    if (index < 0) return undefined;
    const failure = this.forced[index]!;
    if (--failure.remaining <= 0) this.forced.splice(index, 1);
    const opts: { retryAfter?: number } = {};
    if (failure.retryAfter !== undefined) opts.retryAfter = failure.retryAfter;
    return new TelegramApiError(failure.errorCode, failure.description, opts);
  }

  /** Counts one message to `chatId`, or throws 429 when that would exceed a configured limit. */
  admitMessage(chatId: number | string, now: number): void {
    const { perChatPerSecond, globalPerSecond } = this.limits;
    if (perChatPerSecond === undefined && globalPerSecond === undefined) return;
    let chat = this.perChat.get(chatId);
    if (!chat) {
      chat = new Window();
      this.perChat.set(chatId, chat);
    }
    for (const [window, limit] of [
      [chat, perChatPerSecond],
      [this.global, globalPerSecond],
    ] as const) {
      if (limit === undefined) continue;
      if (now < window.blockedUntil) {
        throw tooManyRequests(Math.ceil((window.blockedUntil - now) / 1000), "rate_limited");
      }
      if (window.count(now) >= limit) {
        const retryAfter = this.limits.retryAfterSeconds ?? 1;
        window.blockedUntil = now + retryAfter * 1000;
        throw tooManyRequests(retryAfter, "rate_limited");
      }
    }
    chat.add(now);
    this.global.add(now);
  }
}

/**
 * Updates being handled, counted from the moment one enters the bot's middleware until it is done,
 * so a stop (and a test) can wait for the work already taken. grammY runner's own `stop()` resolves
 * once its polling loop ends, not when the updates it handed to its concurrent sink are done, and a
 * webhook's updates never pass through the runner at all.
 */
import type { Context, MiddlewareFn } from "grammy";

export interface InFlight {
  /** Installed first on the bot, so an update counts before anything else can await. */
  middleware: MiddlewareFn<Context>;
  /** Resolves when no update is being handled. */
  idle(): Promise<void>;
  /** The newest update_id taken so far (to confirm the polling offset on stop). */
  lastUpdateId(): number | undefined;
}

export function createInFlight(): InFlight {
  let pending = 0;
  let last: number | undefined;
  const waiting: (() => void)[] = [];
  return {
    async middleware(ctx, next) {
      pending++;
      last = Math.max(last ?? ctx.update.update_id, ctx.update.update_id);
      try {
        await next();
      } finally {
        pending--;
        if (pending === 0) for (const resolve of waiting.splice(0)) resolve();
      }
    },
    idle() {
      if (pending === 0) return Promise.resolve();
      return new Promise((resolve) => waiting.push(resolve));
    },
    lastUpdateId: () => last,
  };
}

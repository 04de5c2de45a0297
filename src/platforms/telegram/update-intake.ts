/**
 * How updates reach the handlers, in both modes. Different chats are handled side by side; one
 * chat's updates one at a time, in the order they came (grammY runner's `sequentialize`, keyed by
 * chat), so a slow AssetPay call holds up its own chat and nothing else.
 *
 * Long polling runs on grammY runner: it keeps fetching while earlier updates are still being
 * handled, up to CONCURRENCY at once. A webhook delivery is answered as soon as its update is
 * queued in the same kind of concurrent sink: Telegram resends an update whose answer is late,
 * and the chat's order is kept by the middleware here rather than by Telegram waiting for our
 * answer (which it only does per connection).
 */
import { createConcurrentSink, type RunnerHandle, run, sequentialize } from "@grammyjs/runner";
import type { Bot, BotError, Context, MiddlewareFn } from "grammy";
import type { Update } from "grammy/types";
import type { Logger } from "pino";
import { createInFlight } from "./in-flight.ts";

/** Updates handled at once at most (runner's default); polling and webhook answers wait beyond it. */
export const CONCURRENCY = 500;
/**
 * Between two failed getUpdates calls. The runner's default doubles without a cap, and its wait
 * cannot be cut short, so after a long outage it would reconnect late and hold up a stop.
 */
const POLL_RETRY_MS = 1_000;

export type UpdateType = Exclude<keyof Update, "update_id">;

export interface PollOptions {
  allowedUpdates: readonly UpdateType[];
  timeoutSeconds: number;
  /** Polling ended by itself: a refused token, or another instance polling (409). */
  onFailure(err: unknown): void;
}

export interface UpdateIntake {
  /** Starts long polling. */
  poll(options: PollOptions): void;
  /** Takes a webhook's update; resolves once it is queued (at once unless CONCURRENCY are running). */
  accept(update: Update): Promise<void>;
  /** Stops polling and waits for every update taken to be handled; then confirms them to Telegram. */
  stop(): Promise<void>;
  /** Resolves once every update taken so far has been handled. */
  idle(): Promise<void>;
}

/** The chat an update belongs to: its place in line. Updates without one wait for nothing. */
export function chatOf(ctx: Context): string | undefined {
  return ctx.chat ? `chat:${ctx.chat.id}` : undefined;
}

/**
 * Installs the intake's middleware on `bot`, ahead of any other: the in-flight count, then
 * `arrival` (work that must not wait for the chat's turn, such as answering a button press), then
 * the chat's order. Every update passes these synchronously up to the chat's line, so its place
 * there is the order in which it arrived.
 */
export function createUpdateIntake(
  bot: Bot,
  deps: { logger: Logger; arrival?: readonly MiddlewareFn<Context>[] },
): UpdateIntake {
  const inFlight = createInFlight();
  bot.use(inFlight.middleware);
  for (const middleware of deps.arrival ?? []) bot.use(middleware);
  bot.use(sequentialize(chatOf));

  const handleError = async (err: BotError<Context>) => {
    try {
      await bot.errorHandler(err);
    } catch (thrown) {
      deps.logger.error({ err: thrown }, "telegram error handler failed");
    }
  };
  const webhookSink = createConcurrentSink<Update, BotError<Context>>(
    { consume: (update) => bot.handleUpdate(update) },
    handleError,
    { concurrency: CONCURRENCY },
  );
  let runner: RunnerHandle | undefined;

  return {
    poll(options) {
      runner = run(bot, {
        runner: {
          fetch: { timeout: options.timeoutSeconds, allowed_updates: options.allowedUpdates },
          retryInterval: POLL_RETRY_MS,
          maxRetryTime: Number.POSITIVE_INFINITY,
          // connection.ts reports failed polls through the health check.
          silent: true,
        },
        sink: { concurrency: CONCURRENCY },
      });
      runner.task()?.catch(options.onFailure);
    },
    async accept(update) {
      await webhookSink.handle([update]);
    },
    async stop() {
      const polling = runner;
      runner = undefined;
      // Aborts the poll in flight; resolves once the runner has handed over everything it fetched.
      await polling?.stop();
      await inFlight.idle();
      const last = inFlight.lastUpdateId();
      if (!polling || last === undefined) return;
      // The runner confirms a batch only with its next poll: without this the next start would
      // handle the last batch again. Unreachable, Telegram resends them instead; a warning, not a
      // failed shutdown.
      await bot.api
        .getUpdates({ offset: last + 1, limit: 1, timeout: 0 })
        .catch((err: unknown) =>
          deps.logger.warn({ err: String(err) }, "telegram: could not confirm the last updates"),
        );
    },
    idle: () => inFlight.idle(),
  };
}

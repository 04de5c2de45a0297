/**
 * The state every Bot API method handler works on, and the shape of a handler. Built once per
 * fake by `startFakeTelegram`; nothing here is module-level.
 */
import type { CallbackQueries } from "./callback-queries.ts";
import type { ChatStore } from "./chat-store.ts";
import type { FloodControl } from "./flood-control.ts";
import type { Params } from "./params.ts";
import type { TgBotUser } from "./types.ts";
import type { UpdateQueue } from "./update-queue.ts";
import type { WebhookDeliverer } from "./webhook.ts";

export interface BotCommand {
  command: string;
  description: string;
}

export interface FakeCore {
  bot: TgBotUser;
  chats: ChatStore;
  queue: UpdateQueue;
  webhook: WebhookDeliverer;
  callbacks: CallbackQueries;
  flood: FloodControl;
  /** setMyCommands storage, keyed by `commandsKey(scope, language_code)`. */
  commands: Map<string, BotCommand[]>;
  menuButtons: Map<string, unknown>;
}

export interface MethodCall {
  params: Params;
  /** Aborted when the client hangs up (a long poll cancelled by bot.stop()). */
  signal: AbortSignal;
  /** performance.now() when the request arrived. */
  now: number;
}

/** A successful result that Telegram accompanies with a `description` (setWebhook and friends). */
export class Described {
  constructor(
    readonly result: unknown,
    readonly description: string,
  ) {}
}

export type MethodHandler = (core: FakeCore, call: MethodCall) => unknown;

export function unixNow(): number {
  return Math.floor(Date.now() / 1000);
}

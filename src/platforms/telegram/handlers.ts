/**
 * What the bot does with each update once it is the chat's turn (see update-intake.ts): an
 * admin's menu set if it is still missing, then button presses, block/unblock, commands and plain
 * text, each to its handler. A failure is logged; the next update goes on.
 */
import type { Bot } from "grammy";
import type { Logger } from "pino";
import type { CommandDefinition } from "../../../commands/types.ts";
import type { Core } from "../../app.ts";
import type { CallbackHandlers } from "./callback-queries.ts";
import { createCommandHandlers } from "./commands.ts";
import { createMemberStatusHandler } from "./member-status.ts";
import type { Menus } from "./menus.ts";
import type { ViewSender } from "./view-sender.ts";

export interface HandlerDeps {
  core: Core;
  commands: readonly CommandDefinition[];
  admins: ReadonlySet<string>;
  sender: ViewSender;
  menus: Menus;
  callbacks: CallbackHandlers;
  logger: Logger;
}

export function installHandlers(bot: Bot, deps: HandlerDeps): void {
  const { core, admins } = deps;
  const commands = createCommandHandlers({
    core,
    commands: deps.commands,
    admins,
    sender: deps.sender,
    username: () => bot.botInfo.username,
    askTtlMs: core.config.picker.ttlSeconds * 1000,
  });
  bot.use(async (ctx, next) => {
    const from = ctx.from;
    if (from && admins.has(String(from.id)) && ctx.chat?.type === "private") {
      await deps.menus.ensureAdmin(String(from.id));
    }
    await next();
  });
  bot.on("callback_query", (ctx) => deps.callbacks.handle(ctx));
  bot.on("my_chat_member", createMemberStatusHandler(core));
  for (const def of deps.commands) bot.command(def.name, commands.onCommand(def));
  bot.on("message:text", (ctx) => commands.onText(ctx));
  bot.catch((err) =>
    deps.logger.error({ err: err.error, updateId: err.ctx.update.update_id }, "telegram update failed"),
  );
}

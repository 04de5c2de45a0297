/**
 * Commands and plain messages. In a group the bot only explains itself (/help) and points to the
 * private chat with a deep-link button: balances, trade links and pickers stay private. In the
 * private chat a command runs through the shared command runtime; when it needs a value the member
 * did not give (/link without a URL, /withdraw without a search), the bot asks and takes the
 * member's next message as that value.
 */
import type { Context } from "grammy";
import type { Message, User } from "grammy/types";
import { runCommand } from "../../../commands/runtime.ts";
import type { Args, CommandDefinition, Reply } from "../../../commands/types.ts";
import type { Core } from "../../app.ts";
import { getAs } from "../../core/kv.ts";
import { memberIdOf } from "../../core/members.ts";
import type { Locale } from "../../ui/i18n.ts";
import { message, type View } from "../../ui/view.ts";
import { commandUsageView } from "../../ui/views/usage-view.ts";
import { parseCommandText, usageOf } from "./command-text.ts";
import { deepLinkPayload, deepLinkUrl, readDeepLink } from "./deep-link.ts";
import { invocationOf, localeOf } from "./invocation.ts";
import { whileTyping } from "./typing.ts";
import type { ViewSender } from "./view-sender.ts";

/** What the bot asked a member for, waiting for their next private message. */
interface PendingAsk {
  command: string;
  field: string;
  args: Args;
}

export interface CommandDeps {
  core: Core;
  commands: readonly CommandDefinition[];
  admins: ReadonlySet<string>;
  sender: ViewSender;
  /** The bot's @username, known once the bot is initialised. */
  username: () => string;
  askTtlMs: number;
}

export interface CommandHandlers {
  onCommand(def: CommandDefinition): (ctx: Context) => Promise<void>;
  onText(ctx: Context): Promise<void>;
}

export function adminUsageView(core: Core, locale: Locale, def: CommandDefinition): View {
  return { ...commandUsageView(core.i18n, locale, def, usageOf, "telegram.adminUsage"), ephemeral: false };
}

export function createCommandHandlers(deps: CommandDeps): CommandHandlers {
  const { core, sender } = deps;
  const askKey = (from: User) => `tg:ask:${memberIdOf({ platform: "telegram", userId: String(from.id) })}`;

  const answer = async (ctx: Context, from: User, reply: Reply): Promise<Message> => {
    const chatId = ctx.chat?.id ?? from.id;
    if (reply.kind === "view") return sender.send(chatId, reply.view, { owner: from.id });
    const pending: PendingAsk = { command: reply.command, field: reply.field, args: reply.args ?? {} };
    await core.kv.sessions.set(askKey(from), pending, deps.askTtlMs);
    return sender.send(chatId, reply.prompt, { owner: from.id });
  };

  const run = async (ctx: Context, from: User, def: CommandDefinition, argText: string) => {
    const inv = invocationOf(core, from, deps.admins, `tg:${ctx.update.update_id}`);
    const { args, subcommand } = parseCommandText(def, argText);
    if (def.subcommands && subcommand === undefined && inv.isAdmin) {
      await sender.send(from.id, adminUsageView(core, await localeOf(core, from), def), { owner: from.id });
      return;
    }
    const chatId = ctx.chat?.id ?? from.id;
    const reply = await whileTyping(ctx.api, chatId, () => runCommand(core, inv, def.name, args, subcommand));
    await answer(ctx, from, reply);
  };

  const pointToPrivateChat = async (ctx: Context, from: User, def: CommandDefinition, argText: string) => {
    const locale = await localeOf(core, from);
    const payload = deepLinkPayload(def, parseCommandText(def, argText).args);
    const view = message("info", core.i18n.t(locale, "telegram.privateOnly"), {
      buttons: [
        [{ url: deepLinkUrl(deps.username(), payload), label: core.i18n.t(locale, "telegram.openPrivate") }],
      ],
    });
    const replyTo = ctx.message?.message_id;
    await sender.send(ctx.chat?.id ?? from.id, view, {
      owner: from.id,
      ...(replyTo !== undefined ? { replyTo } : {}),
    });
  };

  return {
    onCommand(def) {
      return async (ctx) => {
        const from = ctx.from;
        const chat = ctx.chat;
        if (!from || !chat || from.is_bot) return;
        const argText = typeof ctx.match === "string" ? ctx.match : "";
        if (chat.type !== "private") {
          // A command that shows nothing private answers in the group too.
          if (!def.privateOnly) {
            const inv = invocationOf(core, from, deps.admins, `tg:${ctx.update.update_id}`);
            const reply = await runCommand(core, inv, def.name, {});
            if (reply.kind === "view") {
              const replyTo = ctx.message?.message_id;
              await sender.send(chat.id, reply.view, {
                owner: from.id,
                ...(replyTo !== undefined ? { replyTo } : {}),
              });
            }
            return;
          }
          await pointToPrivateChat(ctx, from, def, argText);
          return;
        }
        // A new command means the member moved on from whatever the bot last asked.
        await core.kv.sessions.delete(askKey(from));
        if (def.name === "start" && argText.trim() !== "") {
          const link = readDeepLink(argText);
          const target = link && deps.commands.find((c) => c.name === link.command);
          if (link && target) {
            await run(ctx, from, target, link.text);
            return;
          }
        }
        await run(ctx, from, def, def.name === "start" ? "" : argText);
      };
    },

    async onText(ctx) {
      const from = ctx.from;
      const chat = ctx.chat;
      const body = ctx.message?.text;
      // In groups the bot only listens to commands addressed to it.
      if (!from || !chat || body === undefined || chat.type !== "private" || from.is_bot) return;
      // An unknown command is never the answer to a question: it only means the member moved on.
      const pending = body.startsWith("/")
        ? undefined
        : await getAs<PendingAsk>(core.kv.sessions, askKey(from));
      if (!pending) {
        if (body.startsWith("/")) await core.kv.sessions.delete(askKey(from));
        const locale = await localeOf(core, from);
        await sender.send(chat.id, message("info", core.i18n.t(locale, "telegram.notUnderstood")), {
          owner: from.id,
        });
        return;
      }
      await core.kv.sessions.delete(askKey(from));
      const inv = invocationOf(core, from, deps.admins, `tg:${ctx.update.update_id}`);
      const args = { ...pending.args, [pending.field]: body.trim() };
      const reply = await whileTyping(ctx.api, chat.id, () => runCommand(core, inv, pending.command, args));
      await answer(ctx, from, reply);
    },
  };
}

/**
 * /notify: where trade notices reach a person who uses one wallet on Discord and Telegram.
 * `here` sends every notice to this chat; `auto` (the default) to the chat each trade was
 * started from. Either way a notice goes to the other platform when DMs are closed on this one
 * (see src/core/notice-routing.ts). Without an option it says where notices go now.
 */

import type { MemberId } from "../src/core/ledger.ts";
import { memberIdOf } from "../src/core/members.ts";
import type { Locale } from "../src/ui/i18n.ts";
import { message } from "../src/ui/view.ts";
import type { CommandCore } from "./types.ts";
import { type CommandDefinition, view } from "./types.ts";

const PLATFORM_NAMES: Record<string, string> = {
  discord: "Discord",
  telegram: "Telegram",
  console: "Console",
};

/** One line saying where this wallet's notices go, as seen from the chat identity `chatId`. */
export async function noticeStatusText(
  core: CommandCore,
  locale: Locale,
  chatId: MemberId,
  wallet: MemberId,
) {
  const chosen = await core.identities.chosenForNotices(wallet);
  if (chosen === undefined) return core.i18n.t(locale, "noticesTo.statusAuto");
  if (chosen === chatId) return core.i18n.t(locale, "noticesTo.statusHere");
  const platform = chosen.slice(0, chosen.indexOf(":"));
  return core.i18n.t(locale, "noticesTo.statusElsewhere", { platform: PLATFORM_NAMES[platform] ?? platform });
}

export const notify: CommandDefinition = {
  name: "notify",
  descriptionKey: "commands.notify.description",
  options: [
    {
      name: "where",
      type: "string",
      descriptionKey: "commands.notify.options.where",
      choices: [
        { value: "here", nameKey: "commands.notify.choices.here" },
        { value: "auto", nameKey: "commands.notify.choices.auto" },
      ],
    },
  ],
  privateOnly: true,
  async run(ctx, args) {
    const { identities, i18n } = ctx.core;
    // The chat identity itself: the wallet may be another platform's.
    const chatId = memberIdOf(ctx.member);
    if (args.where === "here" || args.where === "auto") {
      await identities.chooseForNotices(args.where === "here" ? chatId : undefined, ctx.memberId);
      // Choosing this chat says it can be reached again (DMs reopened): the next notice tries it;
      // should it fail, the worker marks it again and notices go to the other platform.
      if (args.where === "here" && (await ctx.core.members.get(chatId)).unreachable)
        await ctx.core.members.update(chatId, (p) => {
          delete p.unreachable;
          return p;
        });
      const key = args.where === "here" ? "noticesTo.here" : "noticesTo.auto";
      return view(message("success", i18n.t(ctx.locale, key), { ephemeral: true }));
    }
    const status = await noticeStatusText(ctx.core, ctx.locale, chatId, ctx.memberId);
    return view(message("info", status, { ephemeral: true }));
  },
};

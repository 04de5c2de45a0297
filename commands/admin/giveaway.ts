/**
 * /admin giveaway: a skin from the market for a member, paid by the community wallet (the search
 * and picker are /withdraw's, see commands/withdraw.ts).
 */
import { memberIdOf } from "../../src/core/members.ts";
import { message } from "../../src/ui/view.ts";
import { gameIdOf, gameOption } from "../deposit.ts";
import { marketSuggestions } from "../market-suggestions.ts";
import { view } from "../types.ts";
import { giveaway as giveawaySearch } from "../withdraw.ts";
import { type AdminSubcommand, memberOption, namedTargetOf } from "./subcommand.ts";

export const giveaway: AdminSubcommand = {
  definition: {
    name: "giveaway",
    descriptionKey: "commands.admin.subcommands.giveaway",
    options: [
      memberOption,
      {
        name: "item",
        type: "string",
        descriptionKey: "commands.admin.options.item",
        required: true,
        autocomplete: true,
        maxLength: 100,
      },
      gameOption("commands.admin.options.game"),
    ],
  },
  async autocomplete(ctx, option, value, filled) {
    if (!ctx.isAdmin || option !== "item" || value.trim().length < 2) return [];
    // Suggestions need some member's client token: the recipient's (already chosen in the
    // member option), else the admin's own link, when there is one.
    const recipient =
      typeof filled.member === "string" && /^[A-Za-z0-9_-]{1,64}$/.test(filled.member)
        ? memberIdOf({ platform: ctx.caps.platform, userId: filled.member })
        : undefined;
    const searcher = [recipient, ctx.memberId].filter((m): m is string => m !== undefined);
    for (const memberId of searcher) {
      if (!(await ctx.core.accounts.get(memberId))) continue;
      return marketSuggestions(ctx, memberId, value, gameIdOf(filled.game));
    }
    return [];
  },
  async run(ctx, args) {
    const { id, name } = await namedTargetOf(ctx, args);
    // Only a linked member has a trade URL to receive the skin: say so before any search.
    if (!(await ctx.core.accounts.get(id)))
      return view(
        message("warning", ctx.core.i18n.t(ctx.locale, "community.recipientNotLinked", { member: name }), {
          ephemeral: true,
        }),
      );
    return giveawaySearch(ctx, id, String(args.item ?? ""), gameIdOf(args.game));
  },
};

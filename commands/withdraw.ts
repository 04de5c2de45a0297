import { GAME_IDS, type GameId } from "../src/base/games.ts";
import { CoreError } from "../src/core/errors.ts";
import type { MemberId } from "../src/core/ledger.ts";
import { type MarketMatch, normaliseQuery } from "../src/core/market-search.ts";
import type { PickerSession } from "../src/core/picker.ts";
import { errorText } from "../src/ui/views/error-view.ts";

import { suggestionsView } from "../src/ui/views/trade-views.ts";
import { gameIdOf, gameOption } from "./deposit.ts";
import { marketSuggestions, sayingChoice } from "./market-suggestions.ts";
import { pickerReply } from "./picker-reply.ts";
import { type Args, type CommandContext, type CommandDefinition, type Reply, view } from "./types.ts";

/**
 * Withdrawals paused, the member locked, or their withdrawals locked after a reversal: said
 * before any market search, instead of after they have chosen a skin.
 */
export async function withdrawRefusal(ctx: CommandContext): Promise<CoreError | undefined> {
  if (await ctx.core.switches.isPaused("withdrawals")) return new CoreError("withdrawalsPaused");
  const profile = await ctx.core.members.get(ctx.memberId);
  if (profile.locked) return new CoreError("memberLocked");
  if (profile.withdrawalsLocked) return new CoreError("withdrawalsLockedNegative");
  return undefined;
}

/** Where a search leads: the member's own withdrawal, or an admin's giveaway to `recipient`. */
interface SearchTarget {
  game: GameId;
  recipient?: MemberId;
}

async function openChosen(
  ctx: CommandContext,
  target: SearchTarget,
  match: MarketMatch,
): Promise<PickerSession> {
  const opts = {
    catalogId: match.id,
    name: match.name,
    game: target.game,
    pageSize: ctx.caps.pickerPageSize,
  };
  if (target.recipient === undefined) return ctx.core.trading.openWithdraw(ctx.memberId, opts);
  if (!ctx.isAdmin) throw new CoreError("notAdmin");
  return ctx.core.trading.openGiveaway(ctx.memberId, { ...opts, recipient: target.recipient });
}

/**
 * A typed search or an autocomplete pick: straight to the listing picker when it names one skin,
 * else the skins to choose from (remembered behind the buttons), or "nothing matched".
 * A giveaway searches with the recipient's token: any member's serves for market search, and
 * the recipient must be linked to receive the skin anyway.
 */
async function searchReply(ctx: CommandContext, query: string, target: SearchTarget): Promise<Reply> {
  const searcher = target.recipient ?? ctx.memberId;
  const found = await ctx.core.market.lookup(searcher, query, target.game);
  if (found.kind === "one") return view(await pickerReply(ctx, await openChosen(ctx, target, found.match)));
  const sessionId =
    found.found.length === 0
      ? ""
      : await ctx.core.choices.offerSearch(ctx.memberId, {
          game: target.game,
          found: found.found,
          ...(target.recipient !== undefined ? { recipient: target.recipient } : {}),
        });
  return view(suggestionsView(ctx.core.i18n, ctx.locale, normaliseQuery(query), sessionId, found.found));
}

export async function openWithdrawFromSearch(
  ctx: CommandContext,
  sessionId: string,
  index: number,
): Promise<PickerSession> {
  const search = await ctx.core.choices.search(ctx.memberId, sessionId);
  const chosen = search.found[index];
  if (!chosen) throw new CoreError("pickerExpired");
  const target: SearchTarget = {
    game: gameIdOf(search.game),
    ...(search.recipient !== undefined ? { recipient: search.recipient } : {}),
  };
  return openChosen(ctx, target, chosen);
}

export const withdraw: CommandDefinition = {
  name: "withdraw",
  descriptionKey: "commands.withdraw.description",
  options: [
    {
      name: "item",
      type: "string",
      descriptionKey: "commands.withdraw.options.search",
      autocomplete: true,
      maxLength: 100,
    },
    gameOption("commands.withdraw.options.game"),
  ],
  privateOnly: true,
  ask: { option: "item", titleKey: "withdraw.modalTitle", labelKey: "withdraw.searchPlaceholder" },
  async autocomplete(ctx, option, value, filled: Args = {}) {
    if (option !== "item") return [];
    // The reason, as the one suggestion, while they type: no market results they can't have.
    const refusal = await withdrawRefusal(ctx);
    if (refusal) return [sayingChoice(errorText(ctx.core.i18n, ctx.locale, refusal))];
    return marketSuggestions(ctx, ctx.memberId, value, gameIdOf(filled.game));
  },
  async precheck(ctx) {
    const refusal = await withdrawRefusal(ctx);
    if (refusal) throw refusal;
  },
  async run(ctx, args) {
    const refusal = await withdrawRefusal(ctx);
    if (refusal) throw refusal;
    const { i18n } = ctx.core;
    const game = gameIdOf(args.game);
    const query = typeof args.item === "string" ? args.item.trim() : "";
    if (query === "") {
      return {
        kind: "ask",
        field: "item",
        command: "withdraw",
        args: { game: game === GAME_IDS.rust ? "rust" : "cs2" },
        prompt: {
          tone: "info",
          blocks: [{ kind: "text", spans: [{ text: i18n.t(ctx.locale, "withdraw.searchPrompt") }] }],
          buttons: [],
          ephemeral: true,
        },
      };
    }
    return searchReply(ctx, query, { game });
  },
};

/**
 * /admin giveaway: the same search and listing picker as /withdraw, for a recipient, paid by the
 * community wallet. Suggestions are asked with the recipient's identity (any member's token
 * serves for market search, and the recipient must be linked to receive the skin anyway).
 */
export function giveaway(
  ctx: CommandContext,
  recipient: MemberId,
  query: string,
  game: GameId,
): Promise<Reply> {
  return searchReply(ctx, query, { game, recipient });
}

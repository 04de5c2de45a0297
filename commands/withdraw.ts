import { GAME_IDS } from "../src/base/games.ts";
import { CoreError } from "../src/core/errors.ts";
import type { PickerSession } from "../src/core/picker.ts";
import { errorText } from "../src/ui/views/error-view.ts";

import { suggestionsView } from "../src/ui/views/trade-views.ts";
import { gameIdOf, gameOption } from "./deposit.ts";
import { pickerReply } from "./picker-reply.ts";
import { type CommandContext, type CommandDefinition, type Reply, view } from "./types.ts";

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

/** Autocomplete hands us a catalog id; a member typing by hand hands us a name. */
const CATALOG_ID = /^[0-9a-f]{16}$/i;

export async function openWithdrawFromSearch(
  ctx: CommandContext,
  sessionId: string,
  index: number,
): Promise<PickerSession> {
  const search = await ctx.core.choices.search(ctx.memberId, sessionId);
  const chosen = search.found[index];
  if (!chosen) throw new CoreError("pickerExpired");
  if (search.recipient !== undefined) {
    if (!ctx.isAdmin) throw new CoreError("notAdmin");
    return ctx.core.trading.openGiveaway(ctx.memberId, {
      recipient: search.recipient,
      catalogId: chosen.id,
      name: chosen.name,
      game: gameIdOf(search.game),
      pageSize: ctx.caps.pickerPageSize,
    });
  }
  return ctx.core.trading.openWithdraw(ctx.memberId, {
    catalogId: chosen.id,
    name: chosen.name,
    game: gameIdOf(search.game),
    pageSize: ctx.caps.pickerPageSize,
  });
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
  async autocomplete(ctx, option, value) {
    if (option !== "item") return [];
    // The reason, as the one suggestion, while they type: no market results they can't have.
    const refusal = await withdrawRefusal(ctx);
    if (refusal) return [{ name: errorText(ctx.core.i18n, ctx.locale, refusal).slice(0, 100), value: "-" }];
    if (value.trim().length < 2) return [];
    const found = await ctx.core.trading.searchMarket(ctx.memberId, value);
    return found.map((s) => ({ name: s.name.slice(0, 100), value: s.id }));
  },
  async precheck(ctx) {
    const refusal = await withdrawRefusal(ctx);
    if (refusal) throw refusal;
  },
  async run(ctx, args) {
    const refusal = await withdrawRefusal(ctx);
    if (refusal) throw refusal;
    const { i18n, trading } = ctx.core;
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
    if (CATALOG_ID.test(query)) {
      const session = await trading.openWithdraw(ctx.memberId, {
        catalogId: query,
        game,
        pageSize: ctx.caps.pickerPageSize,
      });
      return view(await pickerReply(ctx, session));
    }
    const found = (await trading.searchMarket(ctx.memberId, query)).slice(0, 10);
    if (found.length === 1 && found[0]) {
      const session = await trading.openWithdraw(ctx.memberId, {
        catalogId: found[0].id,
        name: found[0].name,
        game,
        pageSize: ctx.caps.pickerPageSize,
      });
      return view(await pickerReply(ctx, session));
    }
    const sessionId = await ctx.core.choices.offerSearch(ctx.memberId, { game, found });
    return view(suggestionsView(i18n, ctx.locale, query, sessionId, found));
  },
};

/**
 * /admin giveaway: the same search and listing picker as /withdraw, for a recipient, paid by the
 * community wallet. Suggestions are asked with the recipient's identity (any member's token
 * serves for market search, and the recipient must be linked to receive the skin anyway).
 */
export async function giveaway(ctx: CommandContext, recipient: string, query: string): Promise<Reply> {
  const { i18n, trading } = ctx.core;
  const q = query.trim();
  if (CATALOG_ID.test(q)) {
    const session = await trading.openGiveaway(ctx.memberId, {
      recipient,
      catalogId: q,
      game: GAME_IDS.cs2,
      pageSize: ctx.caps.pickerPageSize,
    });
    return view(await pickerReply(ctx, session));
  }
  const found = (await trading.searchMarket(recipient, q)).slice(0, 10);
  if (found.length === 1 && found[0]) {
    const session = await trading.openGiveaway(ctx.memberId, {
      recipient,
      catalogId: found[0].id,
      name: found[0].name,
      game: GAME_IDS.cs2,
      pageSize: ctx.caps.pickerPageSize,
    });
    return view(await pickerReply(ctx, session));
  }
  const sessionId = await ctx.core.choices.offerSearch(ctx.memberId, {
    game: GAME_IDS.cs2,
    found,
    recipient,
  });
  return view(suggestionsView(i18n, ctx.locale, q, sessionId, found));
}

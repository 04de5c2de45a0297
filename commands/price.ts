/**
 * /price <item>: the cheapest listing of a skin on the market, in the member's terms (AssetPay's
 * price plus the community fee), for the game they choose. Read-only; it still needs the
 * member's Steam link, because AssetPay's market answers member tokens only.
 */
import { GAME_IDS, type GameId } from "../src/base/games.ts";
import { type CheapestListing, normaliseQuery } from "../src/core/market-search.ts";
import type { I18n, Locale } from "../src/ui/i18n.ts";
import { message, text, type View } from "../src/ui/view.ts";
import { gameIdOf, gameOption } from "./deposit.ts";
import { marketSuggestions } from "./market-suggestions.ts";
import { type Args, type CommandDefinition, view } from "./types.ts";

/** The answer: the skin, its cheapest price and how many listings there are; or that none matched. */
export function priceView(
  i18n: I18n,
  locale: Locale,
  query: string,
  game: GameId,
  cheapest: CheapestListing | undefined,
): View {
  const gameName = i18n.t(locale, game === GAME_IDS.rust ? "common.game.rust" : "common.game.cs2");
  if (!cheapest) {
    return message("warning", i18n.t(locale, "price.none", { game: gameName, query }), { ephemeral: true });
  }
  const price = i18n.money(locale, cheapest.listing.priceCents);
  return {
    tone: "info",
    title: i18n.t(locale, "price.title", { game: gameName }),
    blocks: [
      text(i18n.t(locale, "price.cheapest", { item: cheapest.match.name, price })),
      text(i18n.t(locale, "price.listings", { count: cheapest.listings })),
    ],
    buttons: [],
    ephemeral: true,
  };
}

export const price: CommandDefinition = {
  name: "price",
  descriptionKey: "commands.price.description",
  options: [
    {
      name: "item",
      type: "string",
      descriptionKey: "commands.price.options.item",
      required: true,
      autocomplete: true,
      maxLength: 100,
    },
    gameOption("commands.price.options.game"),
  ],
  async autocomplete(ctx, option, value, filled: Args = {}) {
    if (option !== "item") return [];
    return marketSuggestions(ctx, ctx.memberId, value, gameIdOf(filled.game));
  },
  async run(ctx, args) {
    const { i18n } = ctx.core;
    const game = gameIdOf(args.game);
    const query = normaliseQuery(typeof args.item === "string" ? args.item : "");
    if (query === "") {
      // Telegram's bare `/price`: the next message is the skin.
      return {
        kind: "ask",
        field: "item",
        command: "price",
        args: { game: game === GAME_IDS.rust ? "rust" : "cs2" },
        prompt: message("info", i18n.t(ctx.locale, "price.prompt"), { ephemeral: true }),
      };
    }
    const cheapest = await ctx.core.market.cheapest(ctx.memberId, query, game);
    return view(priceView(i18n, ctx.locale, query, game, cheapest));
  },
};

/**
 * Autocomplete over the market, for every command that names a skin (/withdraw, /price, the
 * admin giveaway): the core's suggestions as Discord choices, or, when the search is refused
 * (AssetPay rate-limiting, no Steam link), the reason as the one choice instead of an empty list.
 */
import type { GameId } from "../src/base/games.ts";
import type { MemberId } from "../src/core/ledger.ts";
import { errorText } from "../src/ui/views/error-view.ts";
import type { CommandContext } from "./types.ts";

/** Discord's longest choice name and value. */
const CHOICE_MAX = 100;

export type Choice = { name: string; value: string };

/** A choice that only says something: picking it searches for nothing useful. */
export const sayingChoice = (text: string): Choice => ({ name: text.slice(0, CHOICE_MAX), value: "-" });

export async function marketSuggestions(
  ctx: CommandContext,
  searcher: MemberId,
  typed: string,
  game: GameId,
): Promise<Choice[]> {
  try {
    const found = await ctx.core.market.suggest(searcher, typed, game);
    return found.map((m) => ({ name: m.name.slice(0, CHOICE_MAX), value: m.id.slice(0, CHOICE_MAX) }));
  } catch (err) {
    return [sayingChoice(errorText(ctx.core.i18n, ctx.locale, err))];
  }
}

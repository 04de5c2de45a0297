/**
 * The one market search behind /withdraw, the admin giveaway, /price and their autocomplete, for
 * both games. The two games' markets are shaped differently at AssetPay: CS2 has a catalog
 * (search-as-you-type suggestions naming catalog ids, listings per catalog id), Rust has none
 * (its whole market is searched by name, and a skin's listings are the rows with that exact
 * name). Callers see one shape: matches `{ id, name }` whose id a listing lookup understands.
 *
 * Searching needs some member's client token (`searcher`); AssetPay's refusals pass through as
 * `AssetPayError` (`RATE_LIMITED` stays `RATE_LIMITED`) and a searcher without a Steam link is
 * `CoreError("notLinked")`, so the edge words each one as what it is.
 */
import type { AssetPayClient } from "../assetpay/client.ts";
import type { GameId, Item } from "../assetpay/schemas.ts";
import { GAME_IDS } from "../base/games.ts";
import type { Accounts } from "./accounts.ts";
import type { MemberId } from "./ledger.ts";
import type { PickerEntry } from "./picker.ts";
import { byPrice, listingEntry } from "./trading/entries.ts";

/** AssetPay takes at most 100 characters of search text. */
export const MARKET_QUERY_MAX = 100;
/** Fewer typed characters than this suggest nothing (every skin matches one letter). */
export const SUGGEST_MIN_CHARS = 2;
/** Discord shows at most 25 autocomplete choices. */
export const SUGGESTION_LIMIT = 25;
/** A typed search offers at most this many skins to pick from (one button each). */
export const CHOICE_LIMIT = 10;
/** Listings fetched for one skin: AssetPay's largest page. */
const LISTINGS_PAGE = 100;

/** A CS2 catalog id, as suggestions (and so autocomplete) hand them out. */
const CS2_CATALOG_ID = /^[0-9a-f]{16}$/i;

/** One skin the market has: a CS2 catalog id or, for Rust, the market hash name itself. */
export interface MarketMatch {
  id: string;
  name: string;
}

/** What a typed (or autocompleted) search comes to: one skin, or the skins to choose from. */
export type MarketLookup = { kind: "one"; match: MarketMatch } | { kind: "choices"; found: MarketMatch[] };

/**
 * Whose prices a listing shows: a member pays AssetPay's price plus the community fee; the
 * community's own giveaways pay AssetPay's price as it is.
 */
export type ListingPricing = "member" | "community";

export interface CheapestListing {
  game: GameId;
  match: MarketMatch;
  /** Priced for the member (fee included), in `priceCents`. */
  listing: PickerEntry;
  /** How many listings the skin has right now. */
  listings: number;
}

export interface MarketSearch {
  /** Suggestions while typing: none under two characters, at most 25. */
  suggest(searcher: MemberId, query: string, game: GameId): Promise<MarketMatch[]>;
  /**
   * A search typed or picked: one skin when the query is a match id (an autocomplete pick), names
   * a skin exactly, or finds only one; else up to ten skins to choose from (none: nothing matched).
   */
  lookup(searcher: MemberId, query: string, game: GameId): Promise<MarketLookup>;
  /** A skin's listings, cheapest first, priced for `pricing`. */
  listings(
    searcher: MemberId,
    game: GameId,
    matchId: string,
    pricing: ListingPricing,
  ): Promise<PickerEntry[]>;
  /** The cheapest listing of the skin a search finds first, priced for the member; undefined when none. */
  cheapest(memberId: MemberId, query: string, game: GameId): Promise<CheapestListing | undefined>;
}

export interface MarketSearchDeps {
  client: AssetPayClient;
  accounts: Accounts;
  feeBps: number;
}

/** Whitespace collapsed, trimmed, cut to what AssetPay accepts. */
export function normaliseQuery(query: string): string {
  return query.normalize("NFC").replace(/\s+/g, " ").trim().slice(0, MARKET_QUERY_MAX).trim();
}

const nameOf = (item: Item) => item.marketHashName ?? item.name;

export function createMarketSearch(deps: MarketSearchDeps): MarketSearch {
  const { client, accounts } = deps;
  const identityOf = async (memberId: MemberId) => accounts.identity(await accounts.require(memberId));

  /** Rust listings whose name contains `q`, cheapest first. */
  const rustRows = async (searcher: MemberId, q: string) => {
    const page = await client.market(await identityOf(searcher), {
      game: GAME_IDS.rust,
      search: q,
      sort: "priceAsc",
      perPage: LISTINGS_PAGE,
    });
    return page.items;
  };

  const search = async (searcher: MemberId, q: string, game: GameId): Promise<MarketMatch[]> => {
    if (game === GAME_IDS.rust) {
      // Rust has no catalog: the distinct names among matching listings are the skins.
      const names = [...new Set((await rustRows(searcher, q)).map(nameOf))];
      return names.map((name) => ({ id: name, name }));
    }
    const found = await client.suggestions(await identityOf(searcher), q);
    return found.map((s) => ({ id: s.id, name: s.marketHashName }));
  };

  const marketItems = async (searcher: MemberId, game: GameId, matchId: string) =>
    game === GAME_IDS.rust
      ? (await rustRows(searcher, matchId)).filter((item) => nameOf(item) === matchId)
      : await client.marketItem(await identityOf(searcher), { itemId: matchId, perPage: LISTINGS_PAGE });

  const priced = (items: Item[], pricing: ListingPricing) =>
    items.map((item) => listingEntry(item, pricing === "member" ? deps.feeBps : 0)).sort(byPrice);

  const lookup = async (searcher: MemberId, query: string, game: GameId): Promise<MarketLookup> => {
    const q = normaliseQuery(query);
    if (q === "") return { kind: "choices", found: [] };
    if (game === GAME_IDS.cs2 && CS2_CATALOG_ID.test(q)) return { kind: "one", match: { id: q, name: "" } };
    const found = await search(searcher, q, game);
    const exact = found.find((m) => m.name.toLowerCase() === q.toLowerCase());
    const only = found.length === 1 ? found[0] : undefined;
    const one = exact ?? only;
    return one ? { kind: "one", match: one } : { kind: "choices", found: found.slice(0, CHOICE_LIMIT) };
  };

  return {
    async suggest(searcher, query, game) {
      const q = normaliseQuery(query);
      if (q.length < SUGGEST_MIN_CHARS) return [];
      return (await search(searcher, q, game)).slice(0, SUGGESTION_LIMIT);
    },
    lookup,
    async listings(searcher, game, matchId, pricing) {
      return priced(await marketItems(searcher, game, matchId), pricing);
    },
    async cheapest(memberId, query, game) {
      const found = await lookup(memberId, query, game);
      const match = found.kind === "one" ? found.match : found.found[0];
      if (!match) return undefined;
      const items = await marketItems(memberId, game, match.id);
      const entries = priced(items, "member").filter((e) => e.selectable);
      const listing = entries[0];
      if (!listing) return undefined;
      // An autocomplete pick names only a catalog id; its listings carry the full market name.
      const item = items.find((i) => i.id === listing.id);
      const name = match.name || (item ? nameOf(item) : listing.name);
      return { game, match: { id: match.id, name }, listing, listings: entries.length };
    },
  };
}
